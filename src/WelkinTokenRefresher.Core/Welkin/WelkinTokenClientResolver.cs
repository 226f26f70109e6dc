using Microsoft.Extensions.DependencyInjection;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Resolves the typed Welkin client when a refresh actually calls Welkin. The refresher is a singleton: holding one
/// typed client would pin its HttpClient and handler for the app's lifetime (no handler rotation, stale DNS), and would
/// make reading the status need the Welkin settings.
/// </summary>
/// <param name="clientKey">The service key of a named client's Welkin client; null for the default client.</param>
internal sealed class WelkinTokenClientResolver(IServiceProvider services, string? clientKey = null)
{
    public IWelkinTokenClient Resolve() => clientKey is null
        ? services.GetRequiredService<IWelkinTokenClient>()
        : services.GetRequiredKeyedService<IWelkinTokenClient>(clientKey);
}
