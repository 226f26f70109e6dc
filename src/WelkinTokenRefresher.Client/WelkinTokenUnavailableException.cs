namespace WelkinTokenRefresher.Client;

/// <summary>
/// Thrown when no valid Welkin token can be obtained from Key Vault. <see cref="Reason"/> says why, and the
/// message says what to do about it. Neither ever contains the token.
/// </summary>
public sealed class WelkinTokenUnavailableException : Exception
{
    /// <summary>Creates the exception with a reason and a message that explains it.</summary>
    /// <param name="reason">Why no token is available.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The Key Vault or credential failure behind it, if any.</param>
    public WelkinTokenUnavailableException(WelkinTokenUnavailableReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why no token is available.</summary>
    public WelkinTokenUnavailableReason Reason { get; }

    /// <summary>
    /// A new exception with this one's reason and message and this one as inner exception: what a caller gets while the
    /// failure of a read is remembered (each caller its own exception, all pointing at the one that was logged).
    /// </summary>
    internal WelkinTokenUnavailableException Remembered() => new(Reason, Message, this);

    internal static WelkinTokenUnavailableException Create(
        WelkinTokenUnavailableReason reason, Uri vaultUri, string secretName, string? detail = null, Exception? innerException = null)
    {
        string where = FormattableString.Invariant($"secret '{secretName}' in Key Vault {vaultUri}");
        string message = reason switch
        {
            WelkinTokenUnavailableReason.SecretNotFound =>
                $"The Welkin token is not available: {where} was not found. Is the WelkinTokenRefresher deployed and has it run once, and is the secret name right (option SecretName)?",
            WelkinTokenUnavailableReason.Forbidden =>
                $"The Welkin token is not available: this identity may not read {where}. Grant it the 'Key Vault Secrets User' role (4633458b-17de-408a-b874-0445c86b69e6) on the token vault.",
            WelkinTokenUnavailableReason.AuthenticationFailed when detail is not null =>
                $"The Welkin token is not available: authenticating to read {where} failed: {detail}.",
            WelkinTokenUnavailableReason.AuthenticationFailed =>
                $"The Welkin token is not available: no credential could authenticate to read {where}. Check the workload's managed identity (AZURE_CLIENT_ID for a user-assigned one), or sign in with 'az login' when running locally.",
            WelkinTokenUnavailableReason.Disabled =>
                $"The Welkin token is not available: {where} is disabled. Re-enable it; if the refresher disabled it or stopped writing, check the refresher's /api/token/status endpoint and its alerts.",
            WelkinTokenUnavailableReason.Expired =>
                $"The Welkin token is not available: the newest version of {where} has expired ({detail}). The refresher is failing: check its /api/token/status endpoint and its alerts.",
            WelkinTokenUnavailableReason.InvalidSecret =>
                $"The Welkin token is not available: {where} {detail}. It was not written by the WelkinTokenRefresher; check the secret name (option SecretName).",
            WelkinTokenUnavailableReason.Throttled =>
                $"The Welkin token is not available: Key Vault throttled the read of {where} (429, limit 4,000 transactions per 10 s per vault). This process reads it at most once per MinimumReadInterval (and waits as long as the vault asks); look for other code reading the vault on every request. Retry later.",
            _ =>
                $"The Welkin token is not available: Key Vault could not be read for {where} ({detail}). Retry later; check Azure status and network access to the vault.",
        };
        return new WelkinTokenUnavailableException(reason, message, innerException);
    }
}
