using Microsoft.Extensions.DependencyInjection;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Resolves the typed Welkin client when a refresh actually calls Welkin. The refresher is a singleton: holding one
/// typed client would pin its HttpClient and handler for the app's lifetime (no handler rotation, stale DNS), and would
/// make reading the status need the Welkin settings.
/// </summary>
internal sealed class WelkinTokenClientResolver(IServiceProvider services)
{
    public IWelkinTokenClient Resolve() => services.GetRequiredService<IWelkinTokenClient>();
}
