using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Client.Telemetry;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.Client.Tests.OverTheWire;

/// <summary>
/// A consumer process against a sandbox: the token source registered from the sandbox's printed <c>KeyVault__*</c>
/// settings, the real <see cref="Azure.Security.KeyVault.Secrets.SecretClient"/> over HTTPS with
/// <c>DefaultAzureCredential</c> on the sandbox's managed identity endpoint, a fake clock for the library (the SDK's own
/// retry delays are real time, so they are shortened to 10 ms), the vault-read counter and the logs.
/// </summary>
internal sealed class WireConsumer : IAsyncDisposable
{
    private static readonly string[] IdentityVariables = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"];

    private readonly ServiceProvider _services;
    private readonly StartedRequests _readsStarted = new();
    private readonly Dictionary<string, string?> _savedVariables;

    private WireConsumer(WelkinSandbox sandbox, Uri? vaultUri)
    {
        Sandbox = sandbox;
        _savedVariables = IdentityVariables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        foreach (string name in IdentityVariables)
        {
            Environment.SetEnvironmentVariable(name, sandbox.EnvironmentSettings[name]);
        }

        var settings = sandbox.EnvironmentSettings
            .Where(setting => setting.Key.StartsWith("KeyVault__", StringComparison.Ordinal))
            .ToDictionary(setting => setting.Key.Replace("__", ":", StringComparison.Ordinal), setting => (string?)setting.Value);
        if (vaultUri is not null)
        {
            settings["KeyVault:VaultUri"] = vaultUri.AbsoluteUri;
        }

        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        services.AddSingleton<TimeProvider>(Time);
        services.AddWelkinTokenSource(
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("KeyVault"),
            options => options.ConfigureSecretClient = client =>
            {
                client.Transport = new HttpClientTransport(sandbox.CreateTrustingHandler());
                client.Retry.Delay = TimeSpan.FromMilliseconds(10);
                client.AddPolicy(_readsStarted, HttpPipelinePosition.PerCall);
            });
        _services = services.BuildServiceProvider();
        Source = _services.GetRequiredService<IWelkinTokenSource>();
        VaultReads = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), WelkinTokenClientTelemetry.MeterName, ClientMetrics.VaultReads);
    }

    public WelkinSandbox Sandbox { get; }

    /// <summary>The library's clock; starts at the real time, as the sandbox's.</summary>
    public FakeTimeProvider Time { get; } = new(TimeProvider.System.GetUtcNow());

    public IWelkinTokenSource Source { get; }

    /// <summary>Reads as the library counts them: a read the SDK retries counts once.</summary>
    public MetricCollector<long> VaultReads { get; }

    public int ClientReads => VaultReads.GetMeasurementSnapshot().Count;

    public IReadOnlyList<FakeLogRecord> Logs => _services.GetFakeLogCollector().GetSnapshot();

    public static async Task<WireConsumer> StartAsync(bool vaultRefusesConnections = false)
    {
        WelkinSandbox sandbox = await WelkinSandbox.StartAsync();
        return new WireConsumer(sandbox, vaultRefusesConnections ? ClosedPortUri() : null);
    }

    /// <summary>
    /// <paramref name="callers"/> concurrent calls; the tasks, completed. Failures are left on the tasks (not thrown), so
    /// that a storm of answers from memory costs no exception throws.
    /// </summary>
    public async Task<Task<WelkinToken>[]> CallAsync(int callers)
    {
        var calls = new Task<WelkinToken>[callers];
        for (int i = 0; i < callers; i++)
        {
            calls[i] = Source.GetTokenAsync().AsTask();
        }

        try
        {
            await Task.WhenAll(calls).WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (WelkinTokenUnavailableException)
        {
            // Each call's outcome is read from its task.
        }

        await ReadsFinishedAsync();
        return calls;
    }

    /// <summary>
    /// Waits for every read begun so far to be counted, background reads (refresh ahead) included. The library's clock
    /// stands still meanwhile, as a real one nearly does while a loopback read takes milliseconds: otherwise a test that
    /// moves the clock on at once could pass the read's timeout (VaultReadTimeout) while the request is still on the wire.
    /// </summary>
    private async Task ReadsFinishedAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (ClientReads < _readsStarted.Count)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"{_readsStarted.Count} vault reads began, {ClientReads} were counted after a minute.");
            }

            await Task.Delay(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        VaultReads.Dispose();
        await _services.DisposeAsync();
        foreach (var (name, value) in _savedVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await Sandbox.DisposeAsync();
    }

    private static Uri ClosedPortUri()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"https://127.0.0.1:{port}/");
    }
}

/// <summary>Counts the SecretClient calls begun (before the SDK's retries: one per library read).</summary>
internal sealed class StartedRequests : HttpPipelinePolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        return ProcessNextAsync(message, pipeline);
    }
}

/// <summary>The tests that publish the process-wide identity variables run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SandboxVaultTests
{
    public const string Name = "Sandbox vault (process-wide identity variables)";
}
