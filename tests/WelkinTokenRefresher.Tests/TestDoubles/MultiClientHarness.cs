using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// The engine as the app registers it with several Welkin API clients: the <c>default</c> one and the named ones given,
/// each with its own stub network under the real Welkin pipeline, over one multi-secret vault, with fake time and captured logs.
/// </summary>
public sealed class MultiClientHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    /// <param name="named">The named clients, each configured with credentials of its own (other values inherited).</param>
    public MultiClientHarness(string[] named, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        Time = new FakeTimeProvider(RefresherHarness.Start);
        Vault = new InMemorySecretClient(Time, new Uri(TestSettings.VaultUri));
        var settings = TestSettings.Valid();
        foreach (var name in named)
        {
            settings[$"Welkin:Clients:{name}:ApiClient"] = $"key-{name}";
            settings[$"Welkin:Clients:{name}:Secret"] = $"secret-{name}";
        }

        configure?.Invoke(settings);
        var collection = new ServiceCollection();
        collection.AddFakeLogging();
        collection.AddWelkinTokenRefresher(TestSettings.Build(settings));
        collection.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        collection.PostConfigureAll<WelkinOptions>(o => o.RetryBaseDelay = TimeSpan.Zero);
        foreach (var name in named.Prepend(WelkinClientSettings.DefaultName))
        {
            var stub = Welkin[name] = new StubWelkinHandler(Time);
            collection.AddHttpClient(WelkinTokenRefresherServiceCollectionExtensions.HttpClientName(name)).ConfigurePrimaryHttpMessageHandler(() => stub);
        }

        collection.UseSecretClients(client => OwnVaults.TryGetValue(client, out var own) ? own : Vault);
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; }

    /// <summary>Each client's Welkin network, by client name.</summary>
    public Dictionary<string, StubWelkinHandler> Welkin { get; } = [];

    /// <summary>One vault holding every client's secret, as the app's one token vault does.</summary>
    public InMemorySecretClient Vault { get; }

    /// <summary>Clients whose vault is one of its own (set before the client's first refresh): the others share <see cref="Vault"/>.</summary>
    public Dictionary<string, InMemorySecretClient> OwnVaults { get; } = [];

    /// <summary>The latest version of <paramref name="secretName"/>, or null while it has none.</summary>
    public KeyVaultSecret? Latest(string secretName) => Vault.Versions(secretName) is { Count: > 0 } versions ? versions[^1] : null;

    public IServiceProvider Services => _provider;

    public FakeLogCollector Logs => _provider.GetFakeLogCollector();

    public ITokenRefresherRegistry Registry => _provider.GetRequiredService<ITokenRefresherRegistry>();

    public ITokenRefresher Refresher(string client) => Registry.TryGet(client, out var refresher) ? refresher : throw new ArgumentException(client);

    /// <summary>Every client's Welkin answers with a fresh one-hour token naming the client (issued-for-{name}).</summary>
    public void EveryWelkinIssues()
    {
        foreach (var (name, stub) in Welkin)
        {
            stub.Respond = _ => WelkinAnswers.Token($"issued-for-{name}", Time.GetUtcNow().AddHours(1));
        }
    }

    public void Dispose() => _provider.Dispose();
}
