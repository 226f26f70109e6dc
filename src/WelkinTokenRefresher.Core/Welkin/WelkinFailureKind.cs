namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>Why a token request failed. Each kind decides whether retrying can help.</summary>
public enum WelkinFailureKind
{
    /// <summary>400, 401 or 403: the API client key or secret is wrong or revoked. Not retried.</summary>
    CredentialsRejected,

    /// <summary>Welkin answered 429, or our own rate guard refused to send. Not retried.</summary>
    RateLimited,

    /// <summary>5xx, 408, timeouts, connection errors. Retried at most twice.</summary>
    Transient,

    /// <summary>The answer cannot be used: not JSON, no token, expiry too close, too large, unexpected status. Not retried.</summary>
    InvalidResponse,

    /// <summary>An exception nobody classified, reported by its type name. Not retried.</summary>
    Unexpected,
}
