using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Moq;
using WelkinTokenRefresher.Core.Configuration;
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

    [Fact]
    public async Task Joiners_of_a_refresh_are_counted_joined_and_refreshed_once_per_token_written()
    {
        using var refreshes = new MetricCollector<long>(_engine.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.refreshes");
        var welkinAnswer = new TaskCompletionSource<IssuedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _engine.VaultHolds(VaultReading.Missing);
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>())).Returns(() => welkinAnswer.Task);
        _engine.Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IssuedToken t, CancellationToken _) => MockedEngine.Stored("v-new", t.IssuedAt, t.ExpiresAt));

        var calls = Enumerable.Range(0, 10)
            .Select(i => _engine.Refresher.RefreshAsync(i == 0 ? RefreshTrigger.Schedule : RefreshTrigger.OnDemand, force: false, CancellationToken.None))
            .ToList();
        welkinAnswer.SetResult(_engine.Issued());
        await Task.WhenAll(calls);

        var counted = refreshes.GetMeasurementSnapshot()
            .GroupBy(m => ((string)m.Tags["outcome"]!, (string)m.Tags["trigger"]!))
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(1, _engine.VaultWrites);
        Assert.Equal(new Dictionary<(string, string), long> { [("refreshed", "Schedule")] = 1, [("joined", "OnDemand")] = 9 }, counted);
    }

    [Theory]
    [InlineData(RefreshStatus.Succeeded, true, RefreshReasons.Forced, "refreshed")]
    [InlineData(RefreshStatus.Succeeded, true, RefreshReasons.RefreshedConcurrently, "joined")]
    [InlineData(RefreshStatus.Succeeded, false, RefreshReasons.NotDue, "not-due")]
    [InlineData(RefreshStatus.Throttled, false, RefreshReasons.RateLimited, "throttled")]
    [InlineData(RefreshStatus.Throttled, false, RefreshReasons.RefreshInProgress, "throttled")]
    [InlineData(RefreshStatus.WelkinFailed, false, RefreshReasons.WelkinFailed, "welkin-failed")]
    [InlineData(RefreshStatus.VaultFailed, false, RefreshReasons.VaultFailed, "vault-failed")]
    public void Each_outcome_has_the_label_the_alert_rules_filter_on(RefreshStatus status, bool refreshed, string reason, string label) =>
        Assert.Equal(label, new RefreshOutcome(status, refreshed, reason, MockedEngine.SecretName, null).MetricOutcome);

    [Fact]
    public async Task The_remaining_lifetime_gauge_reports_the_seconds_left_on_the_token_last_seen()
    {
        using var gauge = new MetricCollector<double>(_engine.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.remaining_lifetime");
        // The meter exists, but no expiry has been seen yet: nothing is reported rather than a made-up lifetime.
        _engine.Services.GetRequiredService<RefreshMetrics>();
        gauge.RecordObservableInstruments();
        Assert.NotNull(gauge.Instrument);
        Assert.Empty(gauge.GetMeasurementSnapshot());

        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(5));
        await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _engine.Time.Advance(TimeSpan.FromMinutes(1));
        gauge.RecordObservableInstruments();

        Assert.Equal(54 * 60, gauge.LastMeasurement!.Value);
    }

    [Fact]
    public async Task The_duration_histogram_records_each_refresh_in_seconds_with_the_counters_labels()
    {
        using var durations = new MetricCollector<double>(_engine.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.refresh.duration");
        var welkinAnswer = new TaskCompletionSource<IssuedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _engine.VaultHolds(VaultReading.Missing);
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>())).Returns(() => welkinAnswer.Task);
        _engine.Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IssuedToken t, CancellationToken _) => MockedEngine.Stored("v-new", t.IssuedAt, t.ExpiresAt));

        var refresh = _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        _engine.Time.Advance(TimeSpan.FromSeconds(3));
        welkinAnswer.SetResult(_engine.Issued());
        await refresh;

        var measurement = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal(3, measurement.Value);
        Assert.Equal(("refreshed", "OnDemand"), ((string)measurement.Tags["outcome"]!, (string)measurement.Tags["trigger"]!));
    }

    [Fact]
    public async Task A_refresh_that_sees_no_token_keeps_the_last_known_expiry_on_the_gauge()
    {
        using var gauge = new MetricCollector<double>(_engine.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.remaining_lifetime");
        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(5));
        await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _engine.Vault.Setup(v => v.ReadCurrentAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new TokenVaultException(VaultFailureKind.Unavailable, "down"));
        await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        gauge.RecordObservableInstruments();

        Assert.Equal(55 * 60, gauge.LastMeasurement!.Value);
    }

    [Theory]
    [InlineData("welkin.token.refreshes", "{refresh}", "Refresh requests by outcome.")]
    [InlineData("welkin.token.refresh.duration", "s", "Duration of refresh requests.")]
    [InlineData("welkin.token.remaining_lifetime", "s", "Seconds until the vault's token expires, as last seen by this instance.")]
    public void Each_instrument_has_the_name_and_unit_the_alert_rules_and_dashboards_read(string name, string unit, string description)
    {
        var meterFactory = _engine.Services.GetRequiredService<IMeterFactory>();
        _engine.Services.GetRequiredService<RefreshMetrics>();
        var instrument = InstrumentsOf(meterFactory).First(i => i.Name == name);
        Assert.Equal((unit, description), (instrument.Unit, instrument.Description));
    }

    [Fact]
    public async Task Reading_the_status_updates_the_remaining_lifetime_gauge()
    {
        using var gauge = new MetricCollector<double>(_engine.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.remaining_lifetime");
        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(20));

        await _engine.Refresher.GetStatusAsync(ClientUse.Refresh, CancellationToken.None);
        gauge.RecordObservableInstruments();

        Assert.Equal(40 * 60, gauge.LastMeasurement!.Value);
    }

    private static List<Instrument> InstrumentsOf(IMeterFactory meterFactory)
    {
        var found = new List<Instrument>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, _) => found.Add(instrument) };
        listener.Start();
        return found.Where(i => i.Meter.Name == RefreshMetrics.MeterName && i.Meter.Scope == meterFactory).ToList();
    }

    [Theory]
    [InlineData(WelkinFailureKind.CredentialsRejected, "credentials-rejected")]
    [InlineData(WelkinFailureKind.RateLimited, "rate-limited")]
    [InlineData(WelkinFailureKind.Transient, "welkin-unavailable")]
    [InlineData(WelkinFailureKind.InvalidResponse, "invalid-response")]
    public void Each_Welkin_failure_has_its_documented_category(WelkinFailureKind kind, string category) =>
        Assert.Equal(category, RefreshOutcome.Category(kind));

    [Theory]
    [InlineData(VaultFailureKind.NoCredential, "vault-no-credential")]
    [InlineData(VaultFailureKind.AuthenticationFailed, "vault-authentication-failed")]
    [InlineData(VaultFailureKind.Forbidden, "vault-forbidden")]
    [InlineData(VaultFailureKind.Throttled, "vault-throttled")]
    [InlineData(VaultFailureKind.Unavailable, "vault-unavailable")]
    [InlineData(VaultFailureKind.Rejected, "vault-rejected")]
    public void Each_vault_failure_has_its_documented_category(VaultFailureKind kind, string category) =>
        Assert.Equal(category, RefreshOutcome.Category(kind));

    [Fact]
    public async Task Failure_log_lines_carry_the_category_and_the_message()
    {
        _engine.VaultHolds(VaultReading.Missing);
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WelkinTokenException(WelkinFailureKind.CredentialsRejected, "Welkin rejected the API client credentials."));
        await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _engine.Vault.Setup(v => v.ReadCurrentAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new TokenVaultException(VaultFailureKind.Forbidden, "Access denied."));
        await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        var logs = _engine.Logs.GetSnapshot();
        var welkin = Assert.Single(logs, r => r.Id.Id == 2001);
        Assert.Contains("credentials-rejected: Welkin rejected the API client credentials.", welkin.Message, StringComparison.Ordinal);
        var vault = Assert.Single(logs, r => r.Id.Id == 2002);
        Assert.Contains("vault-forbidden: Access denied.", vault.Message, StringComparison.Ordinal);
    }
}
