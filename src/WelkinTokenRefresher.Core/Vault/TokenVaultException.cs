namespace WelkinTokenRefresher.Core.Vault;

/// <summary>Key Vault could not be read or written. The message names the vault, the operation and what to do.</summary>
public sealed class TokenVaultException(VaultFailureKind kind, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public VaultFailureKind Kind { get; } = kind;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
