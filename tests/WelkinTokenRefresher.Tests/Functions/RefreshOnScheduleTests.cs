using Microsoft.Azure.Functions.Worker;
using Moq;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Functions;

/// <summary>The timer path: a refreshed or not-due token is a successful run, anything else a failed invocation.</summary>
public sealed class RefreshOnScheduleTests
{
    private readonly Mock<ITokenRefresher> _refresher = new(MockBehavior.Strict);

    private void Answer(RefreshOutcome outcome) =>
        _refresher.Setup(r => r.RefreshAsync(RefreshTrigger.Schedule, false, It.IsAny<CancellationToken>(), null)).ReturnsAsync(outcome);

    [Theory]
    [InlineData(true, RefreshReasons.RefreshAfterElapsed)]
    [InlineData(false, RefreshReasons.NotDue)]
    [InlineData(true, RefreshReasons.RefreshedConcurrently)]
    public async Task Succeeded_outcome_is_a_successful_run(bool refreshed, string reason)
    {
        Answer(new RefreshOutcome(RefreshStatus.Succeeded, refreshed, reason, "welkin-api-token", null));

        await new RefreshOnSchedule(StubRegistry.Of(_refresher.Object)).Run(new TimerInfo(), CancellationToken.None);

        _refresher.Verify(r => r.RefreshAsync(RefreshTrigger.Schedule, false, It.IsAny<CancellationToken>(), null), Times.Once);
        _refresher.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Past_due_tick_is_handled_the_same_way()
    {
        Answer(new RefreshOutcome(RefreshStatus.Succeeded, false, RefreshReasons.NotDue, "welkin-api-token", null));

        await new RefreshOnSchedule(StubRegistry.Of(_refresher.Object)).Run(new TimerInfo { IsPastDue = true }, CancellationToken.None);

        _refresher.Verify(r => r.RefreshAsync(RefreshTrigger.Schedule, false, It.IsAny<CancellationToken>(), null), Times.Once);
    }

    [Theory]
    [InlineData(RefreshStatus.Throttled, "rate-limited")]
    [InlineData(RefreshStatus.WelkinFailed, "credentials-rejected")]
    [InlineData(RefreshStatus.WelkinFailed, "welkin-unavailable")]
    [InlineData(RefreshStatus.WelkinFailed, "invalid-response")]
    [InlineData(RefreshStatus.VaultFailed, "vault-forbidden")]
    public async Task Other_outcomes_fail_the_invocation(RefreshStatus status, string category)
    {
        var outcome = new RefreshOutcome(status, false, "some-reason", "welkin-api-token", null, null, category, "what to do about it");
        Answer(outcome);

        var e = await Assert.ThrowsAsync<ScheduledRefreshFailedException>(() => new RefreshOnSchedule(StubRegistry.Of(_refresher.Object)).Run(new TimerInfo(), CancellationToken.None));

        Assert.Same(outcome, Assert.Single(e.Failures));
        Assert.Contains("client 'default' (secret 'welkin-api-token')", e.Message, StringComparison.Ordinal);
        Assert.Contains(category, e.Message, StringComparison.Ordinal);
        Assert.Contains("what to do about it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_client_runs_and_the_invocation_fails_afterwards_naming_each_failed_client_and_its_category()
    {
        var live = new Mock<ITokenRefresher>(MockBehavior.Strict);
        var staging = new Mock<ITokenRefresher>(MockBehavior.Strict);
        Answer(new RefreshOutcome(RefreshStatus.Succeeded, true, RefreshReasons.NearExpiry, "welkin-api-token", null));
        live.Setup(r => r.RefreshAsync(RefreshTrigger.Schedule, false, It.IsAny<CancellationToken>(), null)).ReturnsAsync(
            new RefreshOutcome(RefreshStatus.WelkinFailed, false, RefreshReasons.WelkinFailed, "welkin-api-token-live", null, null, "credentials-rejected", "check the key") { Client = "live" });
        staging.Setup(r => r.RefreshAsync(RefreshTrigger.Schedule, false, It.IsAny<CancellationToken>(), null)).ReturnsAsync(
            new RefreshOutcome(RefreshStatus.Throttled, false, RefreshReasons.RateLimited, "welkin-api-token-staging", null, TimeSpan.FromMinutes(5), "rate-limited", "blocked") { Client = "staging" });
        var registry = new StubRegistry(("default", _refresher.Object), ("live", live.Object), ("staging", staging.Object));

        var e = await Assert.ThrowsAsync<ScheduledRefreshFailedException>(() => new RefreshOnSchedule(registry).Run(new TimerInfo(), CancellationToken.None));

        Assert.Equal(["live", "staging"], e.Failures.Select(f => f.Client));
        Assert.StartsWith("Scheduled refresh failed for 2 of 3 client(s): client 'live' (secret 'welkin-api-token-live') credentials-rejected: check the key; client 'staging'", e.Message, StringComparison.Ordinal);
        Assert.Contains("rate-limited: blocked", e.Message, StringComparison.Ordinal);
        _refresher.Verify(r => r.RefreshAsync(RefreshTrigger.Schedule, false, It.IsAny<CancellationToken>(), null), Times.Once);
    }
}
