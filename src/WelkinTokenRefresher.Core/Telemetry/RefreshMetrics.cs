using System.Diagnostics;
using System.Diagnostics.Metrics;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Core.Telemetry;

/// <summary>The <c>WelkinTokenRefresher</c> meter: refreshes by outcome, their duration, and the token's remaining lifetime.</summary>
public sealed class RefreshMetrics
{
    public const string MeterName = "WelkinTokenRefresher";

    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _duration;
    private readonly TimeProvider _time;
    private long _knownExpiryTicks;

    public RefreshMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _refreshes = meter.CreateCounter<long>("welkin.token.refreshes", "{refresh}", "Refresh requests by outcome.");
        _duration = meter.CreateHistogram<double>("welkin.token.refresh.duration", "s", "Duration of refresh requests.");
        meter.CreateObservableGauge("welkin.token.remaining_lifetime", ObserveRemainingLifetime, "s",
            "Seconds until the vault's token expires, as last seen by this instance.");
    }

    public void Record(RefreshTrigger trigger, RefreshOutcome outcome, TimeSpan duration)
    {
        var tags = new TagList { { "outcome", outcome.MetricOutcome }, { "trigger", trigger.ToString() } };
        _refreshes.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void ObserveExpiry(DateTimeOffset? expiresAt)
    {
        if (expiresAt is { } e)
        {
            Interlocked.Exchange(ref _knownExpiryTicks, e.UtcTicks);
        }
    }

    private IEnumerable<Measurement<double>> ObserveRemainingLifetime()
    {
        var ticks = Interlocked.Read(ref _knownExpiryTicks);
        return ticks == 0
            ? []
            : [new Measurement<double>((new DateTimeOffset(ticks, TimeSpan.Zero) - _time.GetUtcNow()).TotalSeconds)];
    }
}
