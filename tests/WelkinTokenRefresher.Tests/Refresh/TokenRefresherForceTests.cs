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
