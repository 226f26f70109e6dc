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

    /// <summary><c>DELETE /secrets/{name}</c>: soft delete; the name cannot be reused until it is purged or recovered.</summary>
    DeleteSecret,

    /// <summary><c>GET /deletedsecrets/{name}</c>.</summary>
    GetDeletedSecret,

    /// <summary><c>GET /deletedsecrets</c> (each page counts).</summary>
    ListDeletedSecrets,

    /// <summary><c>DELETE /deletedsecrets/{name}</c>: removes the secret for good (204).</summary>
    PurgeDeletedSecret,

    /// <summary><c>POST /deletedsecrets/{name}/recover</c>: the secret is back, every version.</summary>
    RecoverDeletedSecret,
}
