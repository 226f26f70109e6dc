namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>The data-plane roles the access policy emulates.</summary>
public enum KeyVaultRole
{
    /// <summary>No role: every operation answers 403.</summary>
    None,

    /// <summary>Key Vault Secrets User: get and list; writes answer 403.</summary>
    SecretsUser,

    /// <summary>Key Vault Secrets Officer: everything.</summary>
    SecretsOfficer,
}
