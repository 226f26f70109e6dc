using System.Diagnostics.Metrics;

namespace WelkinTokenRefresher.Client.Telemetry;

/// <summary>
/// The <see cref="WelkinTokenClientTelemetry.MeterName"/> meter: vault reads by outcome and source, and the remaining
/// lifetime of the token each source serves. One instance per meter: per container when the application has an
/// <see cref="IMeterFactory"/> (the generic host registers one), otherwise <see cref="Shared"/>.
/// </summary>
internal sealed class ClientMetrics
{
    public const string VaultReads = "welkin.token.client.vault_reads";

    public const string RemainingLifetime = "welkin.token.client.remaining_lifetime";

    private readonly Counter<long> _reads;
    private readonly TimeProvider _time;

    // Weak: a source built by hand and dropped must not live on in the gauge.
    private readonly List<WeakReference<KeyVaultWelkinTokenSource>> _sources = [];

    public ClientMetrics(Meter meter, TimeProvider time)
    {
        _time = time;
        _reads = meter.CreateCounter<long>(VaultReads, "{read}", "Key Vault reads of the Welkin token (a read the SDK retries counts once), by outcome.");
        meter.CreateObservableGauge(RemainingLifetime, ObserveRemainingLifetime, "s", "Seconds until the Welkin token each source serves expires.");
    }

    /// <summary>For token sources built without a container's meter factory.</summary>
    public static ClientMetrics Shared { get; } = new(new Meter(WelkinTokenClientTelemetry.MeterName), TimeProvider.System);

    public void Register(KeyVaultWelkinTokenSource source)
    {
        lock (_sources)
        {
            _sources.Add(new WeakReference<KeyVaultWelkinTokenSource>(source));
        }
    }

    public void RecordRead(string source, string outcome) =>
        _reads.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("source", source));

    private List<Measurement<double>> ObserveRemainingLifetime()
    {
        long now = _time.GetUtcNow().UtcTicks;
        var measurements = new List<Measurement<double>>();
        lock (_sources)
        {
            _sources.RemoveAll(reference => !reference.TryGetTarget(out _));
            foreach (WeakReference<KeyVaultWelkinTokenSource> reference in _sources)
            {
                if (reference.TryGetTarget(out KeyVaultWelkinTokenSource? source) && source.ServedExpiryTicks is { } expiresAt)
                {
                    measurements.Add(new Measurement<double>(
                        TimeSpan.FromTicks(expiresAt - now).TotalSeconds, new KeyValuePair<string, object?>("source", source.Name)));
                }
            }
        }

        return measurements;
    }
}
