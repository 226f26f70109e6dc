using Azure;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.TestSupport;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Vault;

/// <summary>Core's side of the one disabled-secret rule (the client's side: DisabledSecretRuleTests).</summary>
public sealed class KeyVaultTokenVaultDisabledSecretTests
{
    private readonly InMemorySecretClient _client = new(TimeProvider.System, new Uri(TestSettings.VaultUri));

    /// <summary>
    /// Each refusal reads as exactly one thing: disabled (a refresh writes a new version), missing (404 only: a refresh
    /// writes the first version), or a vault failure of the status's kind (nothing is refreshed over it). A 403 that is not
    /// the disabled refusal must never read as missing or disabled, or a refusal of access would start a refresh.
    /// </summary>
    [Theory]
    [MemberData(nameof(DisabledSecretAnswers.All), MemberType = typeof(DisabledSecretAnswers))]
    public async Task Vault_refusal_reads_as_disabled_exactly_when_the_shared_rule_says_so(int status, string? errorCode, string message, bool disabled)
    {
        _client.ReadFailure = new RequestFailedException(status, message, errorCode, null);
        var vault = KeyVaultTokenVaultWriteTests.Vault(_client);

        var read = vault.ReadCurrentAsync(CancellationToken.None);

        if (disabled)
        {
            Assert.Same(VaultReading.Disabled, await read);
        }
        else if (status == 404)
        {
            Assert.Same(VaultReading.Missing, await read);
        }
        else
        {
            var failure = await Assert.ThrowsAsync<TokenVaultException>(() => read);
            Assert.Equal(status == 401 ? VaultFailureKind.AuthenticationFailed : VaultFailureKind.Forbidden, failure.Kind);
        }
    }
}
