namespace WelkinTokenRefresher.Client;

/// <summary>
/// Why no valid Welkin token could be obtained from Key Vault.
/// </summary>
public enum WelkinTokenUnavailableReason
{
    /// <summary>The secret does not exist in the vault (404): the refresher is not deployed or the secret name is wrong.</summary>
    SecretNotFound,

    /// <summary>The identity may not read the secret (403): it needs the Key Vault Secrets User role.</summary>
    Forbidden,

    /// <summary>No credential could authenticate to Key Vault (no managed identity, not signed in, or a 401 from the vault).</summary>
    AuthenticationFailed,

    /// <summary>The secret is disabled in the vault.</summary>
    Disabled,

    /// <summary>The newest token in the vault has expired: the refresher is failing.</summary>
    Expired,

    /// <summary>The secret has no expiry or no value: it was not written by the refresher.</summary>
    InvalidSecret,

    /// <summary>Key Vault throttled the read (429).</summary>
    Throttled,

    /// <summary>Key Vault could not be reached or answered with a server error.</summary>
    VaultUnavailable,
}
