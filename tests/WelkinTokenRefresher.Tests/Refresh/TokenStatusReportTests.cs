using Moq;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>GetStatusAsync: healthy while the token has five minutes or more to live; never refreshes.</summary>
public sealed class TokenStatusReportTests : IDisposable
{
    private readonly MockedEngine _engine = new();

    public void Dispose() => _engine.Dispose();

    [Theory]
    [InlineData(3600, true, "ok")]
    [InlineData(300, true, "ok")]
    [InlineData(299, false, "expiring-soon")]
    [InlineData(0, false, "expired")]
    [InlineData(-60, false, "expired")]
    public async Task Health_follows_the_remaining_lifetime(int remainingSeconds, bool healthy, string reason)
    {
        var issuedAt = _engine.Now.AddMinutes(-30);
        _engine.VaultHolds(VaultReading.Present(MockedEngine.Stored("v7", issuedAt, _engine.Now.AddSeconds(remainingSeconds))));

        var report = await _engine.Refresher.GetStatusAsync(ClientUse.Refresh, CancellationToken.None);

        Assert.Equal(healthy, report.Healthy);
        Assert.Equal(reason, report.Reason);
        Assert.Equal("v7", report.Version);
        Assert.Equal(issuedAt, report.IssuedAt);
        Assert.Equal(_engine.Now.AddSeconds(remainingSeconds), report.ExpiresAt);
        Assert.Equal(remainingSeconds, report.RemainingSeconds);
        Assert.Equal(MockedEngine.SecretName, report.SecretName);
        Assert.Equal(0, _engine.WelkinCalls);
    }

    [Fact]
    public async Task Missing_and_disabled_are_unhealthy()
    {
        _engine.VaultHolds(VaultReading.Missing);
        var missing = await _engine.Refresher.GetStatusAsync(ClientUse.Refresh, CancellationToken.None);
        _engine.VaultHolds(VaultReading.Disabled);
        var disabled = await _engine.Refresher.GetStatusAsync(ClientUse.Refresh, CancellationToken.None);

        Assert.Equal((false, "no-token"), (missing.Healthy, missing.Reason));
        Assert.Equal((false, "disabled"), (disabled.Healthy, disabled.Reason));
        Assert.Equal(0, _engine.WelkinCalls);
    }

    [Fact]
    public async Task Vault_failure_is_reported_not_thrown()
    {
        _engine.Vault.Setup(v => v.ReadCurrentAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TokenVaultException(VaultFailureKind.NoCredential, "run az login"));

        var report = await _engine.Refresher.GetStatusAsync(ClientUse.Refresh, CancellationToken.None);

        Assert.False(report.Healthy);
        Assert.Equal("vault-failed", report.Reason);
        Assert.Equal("vault-no-credential", report.Category);
        Assert.Equal("run az login", report.Message);
        Assert.True(_engine.Logged(2003));
    }
}
