using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>A forced refresh skips the due rule but not Refresh:MinForceInterval (one minute by default).</summary>
public sealed class TokenRefresherForceTests : IDisposable
{
    private readonly MockedEngine _engine = new();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Force_inside_MinForceInterval_is_throttled_with_the_time_left()
    {
        _engine.VaultHoldsTokenAged(TimeSpan.FromSeconds(20));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);

        Assert.Equal(RefreshStatus.Throttled, outcome.Status);
        Assert.False(outcome.Refreshed);
        Assert.Equal(RefreshReasons.ForceTooSoon, outcome.Reason);
        Assert.Equal(TimeSpan.FromSeconds(40), outcome.RetryAfter);
        Assert.Contains("Refresh:MinForceInterval", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("v-current", outcome.Token?.Version);
        Assert.Equal(0, _engine.WelkinCalls);
    }

    [Fact]
    public async Task Force_one_second_before_MinForceInterval_is_throttled_and_at_it_refreshes()
    {
        _engine.VaultHoldsTokenAged(TimeSpan.FromSeconds(59));
        var early = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);
        Assert.Equal(RefreshStatus.Throttled, early.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), early.RetryAfter);

        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(1));
        _engine.RefreshSucceedsWith(_engine.Issued());
        var onTime = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);

        Assert.Equal(RefreshStatus.Succeeded, onTime.Status);
        Assert.True(onTime.Refreshed);
        Assert.Equal(RefreshReasons.Forced, onTime.Reason);
        Assert.Equal(1, _engine.WelkinCalls);
    }

    [Fact]
    public async Task Force_finding_a_token_issued_after_it_was_requested_answers_with_that_token_as_refreshed_concurrently()
    {
        // Another process refreshed 2 s ago, while this one (asked 5 s ago) was starting: its token is what was asked for.
        var requestedAt = _engine.Now.AddSeconds(-5);
        _engine.VaultHoldsTokenAged(TimeSpan.FromSeconds(2));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.CommandLine, force: true, CancellationToken.None, requestedAt);

        Assert.Equal((RefreshStatus.Succeeded, true, RefreshReasons.RefreshedConcurrently), (outcome.Status, outcome.Refreshed, outcome.Reason));
        Assert.Equal("v-current", outcome.Token?.Version);
        Assert.Null(outcome.FailureCategory);
        Assert.Equal((0, 0), (_engine.WelkinCalls, _engine.VaultWrites));
    }

    [Fact]
    public async Task Force_finding_a_young_token_issued_before_it_was_requested_is_still_refused()
    {
        var requestedAt = _engine.Now.AddSeconds(-5);
        _engine.VaultHoldsTokenAged(TimeSpan.FromSeconds(5));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.CommandLine, force: true, CancellationToken.None, requestedAt);

        Assert.Equal((RefreshStatus.Throttled, RefreshReasons.ForceTooSoon), (outcome.Status, outcome.Reason));
        Assert.Equal(0, _engine.WelkinCalls);
    }

    [Fact]
    public async Task Force_refreshes_a_token_that_is_not_due()
    {
        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(10));
        _engine.RefreshSucceedsWith(_engine.Issued());

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);

        Assert.Equal(RefreshReasons.Forced, outcome.Reason);
        Assert.True(outcome.Refreshed);
        Assert.Equal(1, _engine.WelkinCalls);
        Assert.Equal(1, _engine.VaultWrites);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("disabled")]
    [InlineData("young-but-expired")]
    public async Task Force_is_never_refused_when_the_vault_has_no_valid_token(string state)
    {
        _engine.VaultHolds(state switch
        {
            "missing" => VaultReading.Missing,
            "disabled" => VaultReading.Disabled,
            _ => VaultReading.Present(MockedEngine.Stored("v-current", _engine.Now.AddSeconds(-10), _engine.Now.AddSeconds(-1))),
        });
        _engine.RefreshSucceedsWith(_engine.Issued());

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);

        Assert.Equal(RefreshStatus.Succeeded, outcome.Status);
        Assert.Equal(1, _engine.WelkinCalls);
    }
}
