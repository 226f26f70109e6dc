using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Client.Telemetry;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// A token source over a <see cref="FakeVault"/>, a <see cref="FakeTimeProvider"/>, captured logs and a meter of its own
/// (so that parallel tests never see each other's measurements).
/// </summary>
internal sealed class TokenSourceFixture : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly Meter _meter = new(WelkinTokenClientTelemetry.MeterName);

    public TokenSourceFixture(Action<WelkinTokenSourceOptions>? configure = null, string name = KeyVaultWelkinTokenSource.DefaultName)
    {
        Options = new WelkinTokenSourceOptions { VaultUri = FakeVault.VaultUri, SecretName = FakeVault.SecretName };
        configure?.Invoke(Options);
        VaultReads = new MetricCollector<long>(_meter, ClientMetrics.VaultReads, Time);
        RemainingLifetime = new MetricCollector<double>(_meter, ClientMetrics.RemainingLifetime, Time);
        Source = new KeyVaultWelkinTokenSource(
            Vault.Client,
            Microsoft.Extensions.Options.Options.Create(Options),
            Time,
            new FakeLogger<KeyVaultWelkinTokenSource>(Logs),
            name,
            new ClientMetrics(_meter, Time));
    }

    public FakeVault Vault { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeLogCollector Logs { get; } = new();

    public WelkinTokenSourceOptions Options { get; }

    public KeyVaultWelkinTokenSource Source { get; }

    /// <summary>The <c>welkin.token.client.vault_reads</c> measurements of this source.</summary>
    public MetricCollector<long> VaultReads { get; }

    /// <summary>The <c>welkin.token.client.remaining_lifetime</c> observations (call <c>RecordObservableInstruments</c>).</summary>
    public MetricCollector<double> RemainingLifetime { get; }

    /// <summary>Puts a one-hour token issued now into the vault and reads it into the cache.</summary>
    public async Task<WelkinToken> WarmAsync(string version = "v1")
    {
        Vault.Holds(version, Time.GetUtcNow().AddHours(1));
        return await Source.GetTokenAsync();
    }

    public IEnumerable<string> LoggedText() =>
        Logs.GetSnapshot().SelectMany(record => new[] { record.Message, record.Exception?.ToString() ?? string.Empty });

    public void Dispose()
    {
        VaultReads.Dispose();
        RemainingLifetime.Dispose();
        _meter.Dispose();
    }
}
