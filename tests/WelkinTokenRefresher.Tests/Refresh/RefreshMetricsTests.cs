using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Moq;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Telemetry;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>The refresh counter is labelled with each outcome and trigger.</summary>
public sealed class RefreshMetricsTests : IDisposable
{
    private readonly MockedEngine _engine = new();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Each_refresh_is_counted_once_by_outcome_and_trigger()
    {
        using var refreshes = new MetricCollector<long>(_engine.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.refreshes");
        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(5));
        await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _engine.VaultHolds(VaultReading.Missing);
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WelkinTokenException(WelkinFailureKind.CredentialsRejected, "rejected"));
        await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);

        var measurements = refreshes.GetMeasurementSnapshot();

        Assert.Equal(2, measurements.Count);
        Assert.Equal(("not-due", "Schedule"), ((string)measurements[0].Tags["outcome"]!, (string)measurements[0].Tags["trigger"]!));
        Assert.Equal(("welkin-failed", "OnDemand"), ((string)measurements[1].Tags["outcome"]!, (string)measurements[1].Tags["trigger"]!));
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
    }
}
