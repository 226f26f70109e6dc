namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>A snapshot of the Key Vault emulator's traffic since start or the last reset.</summary>
/// <param name="Operations">Authenticated requests per operation (every operation present), including faulted and forbidden ones.</param>
/// <param name="Challenges">Requests without a bearer token, answered with the 401 challenge.</param>
/// <param name="RejectedTokens">Requests whose bearer token was invalid (401).</param>
/// <param name="Forbidden">Operations refused by the access policy (403).</param>
/// <param name="FaultsApplied">Operations answered by an injected fault.</param>
public sealed record KeyVaultCounters(
    IReadOnlyDictionary<KeyVaultOperation, long> Operations,
    long Challenges,
    long RejectedTokens,
    long Forbidden,
    long FaultsApplied)
{
    public long this[KeyVaultOperation operation] => Operations[operation];

    /// <summary>Reads of a secret value (latest or by version).</summary>
    public long Reads => this[KeyVaultOperation.GetSecret] + this[KeyVaultOperation.GetSecretVersion];

    /// <summary>New versions and property updates.</summary>
    public long Writes => this[KeyVaultOperation.SetSecret] + this[KeyVaultOperation.UpdateSecretProperties];
}
