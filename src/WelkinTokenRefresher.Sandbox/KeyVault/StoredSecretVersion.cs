namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>One version of a secret as the Key Vault emulator holds it (times at second precision, as Key Vault keeps them).</summary>
public sealed record StoredSecretVersion(
    string Name,
    string Version,
    string Value,
    string? ContentType,
    bool Enabled,
    DateTimeOffset? NotBefore,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset CreatedOn,
    DateTimeOffset UpdatedOn,
    IReadOnlyDictionary<string, string> Tags);
