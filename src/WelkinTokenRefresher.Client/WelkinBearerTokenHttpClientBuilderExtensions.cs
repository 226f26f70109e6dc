using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Adds the Welkin bearer token to an <see cref="HttpClient"/> built by <c>IHttpClientFactory</c>.
/// </summary>
public static class WelkinBearerTokenHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="WelkinBearerTokenHandler"/> to the client's pipeline. Requires a token source registered with
    /// <see cref="WelkinTokenSourceServiceCollectionExtensions"/>.<c>AddWelkinTokenSource</c>.
    /// </summary>
    /// <param name="builder">The HTTP client builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddWelkinBearerToken(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHttpMessageHandler(services => new WelkinBearerTokenHandler(
            services.GetRequiredService<IWelkinTokenSource>(),
            services.GetService<ILogger<WelkinBearerTokenHandler>>()));
    }
}
