using Microsoft.Extensions.DependencyInjection;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Resolves a client's Welkin services when a refresh actually calls Welkin. The refresher is a singleton: holding one
/// typed client would pin its HttpClient and handler for the app's lifetime (no handler rotation, stale DNS), and holding
/// either the client or the rate guard would make reading the status need the Welkin settings.
/// </summary>
/// <param name="clientKey">The service key of a named client's Welkin services; null for the default client.</param>
internal sealed class WelkinTokenClientResolver(IServiceProvider services, string? clientKey = null)
{
    public IWelkinTokenClient Resolve() => clientKey is null
        ? services.GetRequiredService<IWelkinTokenClient>()
        : services.GetRequiredKeyedService<IWelkinTokenClient>(clientKey);

    /// <summary>This client's own rate guard (each client has its own budget and its own Welkin block).</summary>
    public WelkinRateGuard RateGuard() => clientKey is null
        ? services.GetRequiredService<WelkinRateGuard>()
        : services.GetRequiredKeyedService<WelkinRateGuard>(clientKey);
}
