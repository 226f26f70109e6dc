using Moq;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>When the refresher calls Welkin and writes the vault, and what it answers.</summary>
public sealed class TokenRefresherDecisionTests : IDisposable
{
    private readonly MockedEngine _engine = new();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Not_due_makes_no_welkin_call_and_no_write()
    {
        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(20));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(RefreshStatus.Succeeded, outcome.Status);
        Assert.False(outcome.Refreshed);
        Assert.Equal(RefreshReasons.NotDue, outcome.Reason);
        Assert.Equal("v-current", outcome.Token?.Version);
        Assert.Equal(0, _engine.WelkinCalls);
        Assert.Equal(0, _engine.VaultWrites);
        Assert.True(_engine.Logged(1000));
    }

    public static TheoryData<string, string> DueStates() => new()
    {
        { "missing", RefreshReasons.NoToken },
        { "disabled", RefreshReasons.Disabled },
        { "expired", RefreshReasons.Expired },
        { "old", RefreshReasons.RefreshAfterElapsed },
        { "near-expiry", RefreshReasons.NearExpiry },
    };

    private void VaultIn(string state)
    {
        switch (state)
        {
            case "missing":
                _engine.VaultHolds(VaultReading.Missing);
                break;
            case "disabled":
                _engine.VaultHolds(VaultReading.Disabled);
                break;
            case "expired":
                _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(61));
                break;
            case "old":
                _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(50), TimeSpan.FromHours(3));
                break;
            default:
                _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(21), TimeSpan.FromMinutes(30));
                break;
        }
    }

    [Theory]
    [MemberData(nameof(DueStates))]
    public async Task Due_makes_exactly_one_welkin_call_and_one_write_of_that_token(string state, string reason)
    {
        VaultIn(state);
        var issued = _engine.Issued();
        _engine.RefreshSucceedsWith(issued);

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(RefreshStatus.Succeeded, outcome.Status);
        Assert.True(outcome.Refreshed);
        Assert.Equal(reason, outcome.Reason);
        Assert.Equal(MockedEngine.Stored("v-new", issued.IssuedAt, issued.ExpiresAt), outcome.Token);
        Assert.Equal(1, _engine.WelkinCalls);
        _engine.Vault.Verify(v => v.WriteAsync(issued, It.IsAny<CancellationToken>()), Times.Once);
        Assert.True(_engine.Logged(1001));
    }

    [Theory]
    [InlineData(WelkinFailureKind.CredentialsRejected, "credentials-rejected")]
    [InlineData(WelkinFailureKind.Transient, "welkin-unavailable")]
    [InlineData(WelkinFailureKind.InvalidResponse, "invalid-response")]
    public async Task Welkin_failure_writes_nothing_and_is_reported(WelkinFailureKind kind, string category)
    {
        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(55));
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WelkinTokenException(kind, "what went wrong and what to do"));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(RefreshStatus.WelkinFailed, outcome.Status);
        Assert.False(outcome.Refreshed);
        Assert.Equal(RefreshReasons.WelkinFailed, outcome.Reason);
        Assert.Equal(category, outcome.FailureCategory);
        Assert.Equal("what went wrong and what to do", outcome.Message);
        Assert.Equal("v-current", outcome.Token?.Version);
        Assert.Equal(0, _engine.VaultWrites);
        Assert.True(_engine.Logged(2001));
    }

    [Fact]
    public async Task Welkin_rate_limit_is_throttled_with_its_retry_after_and_writes_nothing()
    {
        _engine.VaultHolds(VaultReading.Missing);
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WelkinTokenException(WelkinFailureKind.RateLimited, "blocked", TimeSpan.FromSeconds(42)));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);

        Assert.Equal(RefreshStatus.Throttled, outcome.Status);
        Assert.Equal(RefreshReasons.RateLimited, outcome.Reason);
        Assert.Equal("rate-limited", outcome.FailureCategory);
        Assert.Equal(TimeSpan.FromSeconds(42), outcome.RetryAfter);
        Assert.Equal(0, _engine.VaultWrites);
        Assert.True(_engine.Logged(1003));
    }

    [Fact]
    public async Task A_failed_refresh_is_not_remembered_the_next_tick_tries_again()
    {
        _engine.VaultHolds(VaultReading.Missing);
        _engine.Welkin.SetupSequence(w => w.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WelkinTokenException(WelkinFailureKind.Transient, "down"))
            .ReturnsAsync(_engine.Issued());
        _engine.Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IssuedToken t, CancellationToken _) => MockedEngine.Stored("v-new", t.IssuedAt, t.ExpiresAt));

        var first = await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _engine.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(RefreshStatus.WelkinFailed, first.Status);
        Assert.Equal(RefreshStatus.Succeeded, second.Status);
        Assert.True(second.Refreshed);
        Assert.Equal(2, _engine.WelkinCalls);
        Assert.Equal(1, _engine.VaultWrites);
    }

    [Fact]
    public async Task Vault_write_failure_is_vault_failed_and_nothing_else()
    {
        _engine.VaultHoldsTokenAged(TimeSpan.FromMinutes(55));
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync(_engine.Issued());
        _engine.Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TokenVaultException(VaultFailureKind.Forbidden, "grant the role"));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(RefreshStatus.VaultFailed, outcome.Status);
        Assert.False(outcome.Refreshed);
        Assert.Equal(RefreshReasons.VaultFailed, outcome.Reason);
        Assert.Equal("vault-forbidden", outcome.FailureCategory);
        Assert.Equal("grant the role", outcome.Message);
        Assert.Equal("v-current", outcome.Token?.Version);
        Assert.Equal(1, _engine.WelkinCalls);
        Assert.Equal(1, _engine.VaultWrites);
        Assert.True(_engine.Logged(2002));
    }

    [Fact]
    public async Task Vault_read_failure_is_vault_failed_without_calling_welkin()
    {
        _engine.Vault.Setup(v => v.ReadCurrentAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TokenVaultException(VaultFailureKind.Throttled, "slow down", TimeSpan.FromSeconds(10)));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: true, CancellationToken.None);

        Assert.Equal(RefreshStatus.VaultFailed, outcome.Status);
        Assert.Equal("vault-throttled", outcome.FailureCategory);
        Assert.Equal(TimeSpan.FromSeconds(10), outcome.RetryAfter);
        Assert.Null(outcome.Token);
        Assert.Equal(0, _engine.WelkinCalls);
        Assert.Equal(0, _engine.VaultWrites);
    }
}
