using WelkinTokenRefresher.TestSupport;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>The client's side of the one disabled-secret rule (Core's side: KeyVaultTokenVaultDisabledSecretTests).</summary>
public sealed class DisabledSecretRuleTests
{
    [Theory]
    [MemberData(nameof(DisabledSecretAnswers.All), MemberType = typeof(DisabledSecretAnswers))]
    public async Task AVaultRefusalIsDisabledExactlyWhenTheSharedRuleSaysSo(int status, string? errorCode, string message, bool disabled)
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Fails(status, errorCode, message);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(disabled, failure.Reason == WelkinTokenUnavailableReason.Disabled);
    }

    [Fact]
    public async Task AVersionMarkedDisabledIsDisabled()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddHours(1), enabled: false);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.Disabled, failure.Reason);
    }
}
