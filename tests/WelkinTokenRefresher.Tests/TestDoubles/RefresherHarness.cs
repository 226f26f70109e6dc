using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.TestSupport.Time;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// The engine as the app registers it (<see cref="WelkinTokenRefresherServiceCollectionExtensions.AddWelkinTokenRefresher"/>),
/// with fake time, captured logs, a stub network under the real Welkin pipeline and the shared in-memory <see cref="SecretClient"/>.
/// </summary>
public sealed class RefresherHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public RefresherHarness(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        Time = new SteppingClock(Start);
        Welkin = new StubWelkinHandler(Time);
        Vault = new InMemorySecretClient(Time, new Uri(TestSettings.VaultUri));
        var settings = TestSettings.Valid();
        configure?.Invoke(settings);

        var collection = new ServiceCollection();
        collection.AddFakeLogging();
        collection.AddWelkinTokenRefresher(TestSettings.Build(settings));
        collection.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        collection.PostConfigureAll<WelkinOptions>(o => o.RetryBaseDelay = TimeSpan.Zero);
        collection.AddHttpClient(WelkinTokenRefresherServiceCollectionExtensions.HttpClientName(WelkinClientSettings.DefaultName)).ConfigurePrimaryHttpMessageHandler(() => Welkin);
        collection.UseSecretClient(Vault);
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Fake time that also says when the code under test arms a timer (<see cref="SteppingClock"/>).</summary>
    public SteppingClock Time { get; }

    public StubWelkinHandler Welkin { get; }

    public InMemorySecretClient Vault { get; }

    public IServiceProvider Services => _provider;

    public FakeLogCollector Logs => _provider.GetFakeLogCollector();

    public IWelkinTokenClient Client => _provider.GetRequiredKeyedService<IWelkinTokenClient>(WelkinClientSettings.DefaultName);

    public ITokenRefresher Refresher => _provider.GetRequiredService<ITokenRefresher>();

    public ITokenVault TokenVault => _provider.GetRequiredService<ITokenVault>();

    /// <summary>Welkin answers every request with a fresh one-hour token.</summary>
    public void WelkinIssues(string token) =>
        Welkin.Respond = _ => WelkinAnswers.Token(token, Time.GetUtcNow().AddHours(1));

    public void Dispose() => _provider.Dispose();
}
