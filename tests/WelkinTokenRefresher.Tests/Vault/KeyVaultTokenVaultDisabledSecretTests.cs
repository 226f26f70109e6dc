using Azure;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.TestSupport;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Vault;

/// <summary>Core's side of the one disabled-secret rule (the client's side: DisabledSecretRuleTests).</summary>
public sealed class KeyVaultTokenVaultDisabledSecretTests
{
    private readonly InMemorySecretClient _client = new(TimeProvider.System, new Uri(TestSettings.VaultUri));

    [Theory]
    [MemberData(nameof(DisabledSecretAnswers.All), MemberType = typeof(DisabledSecretAnswers))]
    public async Task Vault_refusal_reads_as_disabled_exactly_when_the_shared_rule_says_so(int status, string? errorCode, string message, bool disabled)
    {
        _client.ReadFailure = new RequestFailedException(status, message, errorCode, null);
        var vault = KeyVaultTokenVaultWriteTests.Vault(_client);

        VaultReading? reading = null;
        try
        {
            reading = await vault.ReadCurrentAsync(CancellationToken.None);
        }
        catch (TokenVaultException)
        {
            // Any other refusal is a vault failure: what matters here is that it is not read as disabled.
        }

        Assert.Equal(disabled, ReferenceEquals(reading, VaultReading.Disabled));
    }
}
