using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Core.Telemetry;

/// <summary>
/// The <c>WelkinTokenRefresher</c> meter: refreshes by outcome, their duration, and each token's remaining lifetime, all
/// with a <c>client</c> dimension so one client's failures show (and alert) by name.
/// </summary>
public sealed class RefreshMetrics
{
    public const string MeterName = "WelkinTokenRefresher";

    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _duration;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _knownExpiry = new(StringComparer.Ordinal);

    public RefreshMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _refreshes = meter.CreateCounter<long>("welkin.token.refreshes", "{refresh}", "Refresh requests by outcome.");
        _duration = meter.CreateHistogram<double>("welkin.token.refresh.duration", "s", "Duration of refresh requests.");
        meter.CreateObservableGauge("welkin.token.remaining_lifetime", ObserveRemainingLifetime, "s",
            "Seconds until the vault's token expires, as last seen by this instance.");
    }

    public void Record(string client, RefreshTrigger trigger, RefreshOutcome outcome, TimeSpan duration)
    {
        var tags = new TagList { { "outcome", outcome.MetricOutcome }, { "trigger", trigger.ToString() }, { "client", client } };
        _refreshes.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void ObserveExpiry(string client, DateTimeOffset? expiresAt)
    {
        if (expiresAt is { } e)
        {
            _knownExpiry[client] = e;
        }
    }

    private IEnumerable<Measurement<double>> ObserveRemainingLifetime()
    {
        var now = _time.GetUtcNow();
        return [.. _knownExpiry.Select(entry => new Measurement<double>((entry.Value - now).TotalSeconds, new KeyValuePair<string, object?>("client", entry.Key)))];
    }
}
