using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>
/// One client's configuration and its keyed services, each resolved when a refresh or a status read first needs it. The
/// refresher is a singleton: holding the typed Welkin client would pin its HttpClient and handler for the app's lifetime
/// (no handler rotation, stale DNS), and holding any Welkin service, or the vault, would make a client whose settings are
/// invalid fail to build instead of reporting what is wrong, and make reading the status need the Welkin settings.
/// </summary>
internal sealed class ClientServices(IServiceProvider services, ClientConfiguration configuration)
{
    public string Name => configuration.Name;

    public ClientConfiguration Configuration => configuration;

    public ITokenVault Vault() => services.GetRequiredKeyedService<ITokenVault>(Name);

    public CrossInstanceRefreshGate Gate() => services.GetRequiredKeyedService<CrossInstanceRefreshGate>(Name);

    public IWelkinTokenClient WelkinClient() => services.GetRequiredKeyedService<IWelkinTokenClient>(Name);

    /// <summary>This client's own rate guard (each client has its own budget and its own Welkin block).</summary>
    public WelkinRateGuard RateGuard() => services.GetRequiredKeyedService<WelkinRateGuard>(Name);
}
