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
        Guard.NotNull(builder);
        return builder.AddHttpMessageHandler(services => new WelkinBearerTokenHandler(
            services.GetRequiredService<IWelkinTokenSource>(),
            services.GetService<ILogger<WelkinBearerTokenHandler>>()));
    }

    /// <summary>
    /// Adds a <see cref="WelkinBearerTokenHandler"/> that takes its token from the named source <paramref name="name"/>,
    /// registered with <c>AddWelkinTokenSource(name, …)</c>.
    /// </summary>
    /// <param name="builder">The HTTP client builder.</param>
    /// <param name="name">The token source's name (its service key), e.g. <c>live</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddWelkinBearerToken(this IHttpClientBuilder builder, string name)
    {
        Guard.NotNull(builder);
        Guard.NotNullOrWhiteSpace(name);
        return builder.AddHttpMessageHandler(services => new WelkinBearerTokenHandler(
            services.GetRequiredKeyedService<IWelkinTokenSource>(name),
            services.GetService<ILogger<WelkinBearerTokenHandler>>()));
    }
}
