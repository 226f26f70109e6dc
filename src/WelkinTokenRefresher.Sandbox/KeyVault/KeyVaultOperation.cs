namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>The secret operations the Key Vault emulator serves (and counts, and can fault).</summary>
public enum KeyVaultOperation
{
    /// <summary><c>GET /secrets/{name}</c>: the latest version.</summary>
    GetSecret,

    /// <summary><c>GET /secrets/{name}/{version}</c>.</summary>
    GetSecretVersion,

    /// <summary><c>PUT /secrets/{name}</c>: writes a new version.</summary>
    SetSecret,

    /// <summary><c>PATCH /secrets/{name}/{version}</c>: attributes, content type, tags.</summary>
    UpdateSecretProperties,

    /// <summary><c>GET /secrets/{name}/versions</c> (each page counts).</summary>
    ListSecretVersions,

    /// <summary><c>GET /secrets</c> (each page counts).</summary>
    ListSecrets,
}
