namespace WelkinTokenRefresher.Core.Vault;

public enum VaultFailureKind
{
    /// <summary>No Azure credential could be found (no managed identity, no az login, no environment credential).</summary>
    NoCredential,

    /// <summary>A credential was found but Microsoft Entra ID refused to issue a token.</summary>
    AuthenticationFailed,

    /// <summary>403: the identity lacks a role on the vault.</summary>
    Forbidden,

    /// <summary>429: Key Vault throttles this vault.</summary>
    Throttled,

    /// <summary>5xx, timeouts, DNS, TLS or connection failures.</summary>
    Unavailable,

    /// <summary>Any other refusal (for example 409 while the secret is being recovered).</summary>
    Rejected,

    /// <summary>An exception nobody classified, reported by its type name.</summary>
    Unexpected,
}
