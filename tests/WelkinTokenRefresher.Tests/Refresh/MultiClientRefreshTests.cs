using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Telemetry;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>
/// Several Welkin API clients in one app: each its own request, secret, single flight and rate guard; refreshing all of
/// them runs them independently; metrics and logs carry the client.
/// </summary>
public sealed class MultiClientRefreshTests : IDisposable
{
    private readonly MultiClientHarness _harness = new(["live", "staging"]);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Each_client_asks_with_its_own_key_and_stores_in_its_own_secret()
    {
        _harness.EveryWelkinIssues();

        var outcomes = await _harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(["default", "live", "staging"], outcomes.Select(o => o.Client));
        Assert.All(outcomes, o => Assert.True(o.Refreshed));
        Assert.Equal(["welkin-api-token", "welkin-api-token-live", "welkin-api-token-staging"], outcomes.Select(o => o.SecretName));
        Assert.Equal("issued-for-live", _harness.Latest("welkin-api-token-live")!.Value);
        Assert.Equal("key-live", _harness.Latest("welkin-api-token-live")!.Properties.Tags["apiClient"]);
        Assert.Equal("issued-for-staging", _harness.Latest("welkin-api-token-staging")!.Value);
        Assert.Equal("issued-for-default", _harness.Latest("welkin-api-token")!.Value);
        Assert.Contains("\"apiClient\":\"key-staging\"", Assert.Single(_harness.Welkin["staging"].Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_refreshes_share_one_welkin_call_per_client()
    {
        _harness.EveryWelkinIssues();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            _harness.Refresher(i % 2 == 0 ? "live" : "staging").RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None))));

        Assert.Equal(1, _harness.Welkin["live"].Attempts);
        Assert.Equal(1, _harness.Welkin["staging"].Attempts);
        Assert.Equal(0, _harness.Welkin["default"].Attempts);
    }

    [Fact]
    public async Task A_429_blocks_only_the_client_it_answered()
    {
        _harness.EveryWelkinIssues();
        _harness.Welkin["live"].Respond = _ => WelkinAnswers.Status(HttpStatusCode.TooManyRequests);

        var blocked = await _harness.Refresher("live").RefreshAsync(RefreshTrigger.Schedule, false, CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var stillBlocked = await _harness.Refresher("live").RefreshAsync(RefreshTrigger.Schedule, false, CancellationToken.None);
        var staging = await _harness.Refresher("staging").RefreshAsync(RefreshTrigger.Schedule, false, CancellationToken.None);

        Assert.Equal(RefreshStatus.Throttled, blocked.Status);
        Assert.Equal(RefreshStatus.Throttled, stillBlocked.Status);
        Assert.Equal(1, _harness.Welkin["live"].Attempts);
        Assert.Equal(RefreshStatus.Succeeded, staging.Status);
        Assert.True(staging.Refreshed);
    }

    [Fact]
    public async Task A_429_answers_the_retry_after_of_the_block_of_the_client_it_answered()
    {
        _harness.EveryWelkinIssues();
        _harness.Welkin[WelkinClientSettings.DefaultName].Respond = _ => TooManyRequests(600);
        _harness.Welkin["live"].Respond = _ => TooManyRequests(90);

        var defaultBlocked = await _harness.Refresher(WelkinClientSettings.DefaultName).RefreshAsync(RefreshTrigger.Schedule, false, CancellationToken.None);
        var liveBlocked = await _harness.Refresher("live").RefreshAsync(RefreshTrigger.Schedule, false, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(600), defaultBlocked.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(90), liveBlocked.RetryAfter);
    }

    private static HttpResponseMessage TooManyRequests(int retryAfterSeconds)
    {
        var response = WelkinAnswers.Status(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds));
        return response;
    }

    [Fact]
    public async Task Each_client_has_its_own_budget_of_ten_requests_in_five_minutes()
    {
        _harness.EveryWelkinIssues();
        _harness.Welkin["live"].Respond = _ => WelkinAnswers.Status(HttpStatusCode.ServiceUnavailable);

        // Each failed refresh sends 3 attempts: the fourth refresh has only one permit left, the fifth none.
        for (var i = 0; i < 5; i++)
        {
            await _harness.Refresher("live").RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);
        }

        var staging = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _harness.Refresher("staging").RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None)));

        Assert.Equal(10, _harness.Welkin["live"].Attempts);
        Assert.Equal(RefreshStatus.Succeeded, staging[0].Status);
        Assert.Equal(1, _harness.Welkin["staging"].Attempts);
    }

    [Fact]
    public async Task A_client_whose_welkin_hangs_neither_delays_nor_blocks_the_others()
    {
        _harness.EveryWelkinIssues();
        var release = new TaskCompletionSource();
        _harness.Welkin["live"].Respond = _ =>
        {
            release.Task.Wait(TimeSpan.FromMinutes(1));
            return WelkinAnswers.Status(HttpStatusCode.Unauthorized);
        };

        var all = _harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, false, CancellationToken.None);
        await WaitUntilAsync(() => _harness.Latest("welkin-api-token-staging") is not null && _harness.Latest("welkin-api-token") is not null);

        Assert.False(all.IsCompleted);
        Assert.Null(_harness.Latest("welkin-api-token-live"));
        release.SetResult();
        var outcomes = await all;
        Assert.Equal([RefreshStatus.Succeeded, RefreshStatus.WelkinFailed, RefreshStatus.Succeeded], outcomes.Select(o => o.Status));
        Assert.Equal("credentials-rejected", outcomes[1].FailureCategory);
    }

    [Fact]
    public async Task Counter_histogram_gauge_and_log_lines_carry_the_client()
    {
        var meters = _harness.Services.GetRequiredService<IMeterFactory>();
        using var refreshes = new MetricCollector<long>(meters, RefreshMetrics.MeterName, "welkin.token.refreshes");
        using var duration = new MetricCollector<double>(meters, RefreshMetrics.MeterName, "welkin.token.refresh.duration");
        using var remaining = new MetricCollector<double>(meters, RefreshMetrics.MeterName, "welkin.token.remaining_lifetime");
        _harness.EveryWelkinIssues();
        _harness.Welkin["staging"].Respond = _ => WelkinAnswers.Status(HttpStatusCode.Forbidden);

        await _harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, false, CancellationToken.None);
        remaining.RecordObservableInstruments();

        Assert.Equal(
            [("default", "refreshed"), ("live", "refreshed"), ("staging", "welkin-failed")],
            refreshes.GetMeasurementSnapshot().Select(m => ((string)m.Tags["client"]!, (string)m.Tags["outcome"]!)).Order());
        Assert.Equal(["default", "live", "staging"], duration.GetMeasurementSnapshot().Select(m => (string)m.Tags["client"]!).Order());
        Assert.Equal(["default", "live"], remaining.GetMeasurementSnapshot().Select(m => (string)m.Tags["client"]!).Order());
        var failure = Assert.Single(_harness.Logs.GetSnapshot(), r => r.Id.Id == 2001);
        Assert.Contains("client staging", failure.Message, StringComparison.Ordinal);
        Assert.Contains(failure.Scopes, s => s is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.Contains(new("client", "staging")));
        Assert.All(_harness.Logs.GetSnapshot().Where(r => r.Id.Id is 1001 or 2001), r => Assert.Contains("client ", r.Message, StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 2000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition(), "the condition never held");
    }
}
