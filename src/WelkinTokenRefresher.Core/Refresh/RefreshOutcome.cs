using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>The result of one refresh request. It never holds the token.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Refreshed">Whether a new token was written for this request (by it, or by the refresh it joined).</param>
/// <param name="Reason">One of <see cref="RefreshReasons"/>.</param>
/// <param name="SecretName">The vault secret.</param>
/// <param name="Token">The vault's token metadata afterwards, when known.</param>
/// <param name="RetryAfter">For <see cref="RefreshStatus.Throttled"/>: when to ask again.</param>
/// <param name="FailureCategory">For failures: a stable category such as <c>credentials-rejected</c> or <c>vault-forbidden</c>.</param>
/// <param name="Message">For failures and refusals: what went wrong and what to do.</param>
public sealed record RefreshOutcome(
    RefreshStatus Status,
    bool Refreshed,
    string Reason,
    string SecretName,
    StoredToken? Token,
    TimeSpan? RetryAfter = null,
    string? FailureCategory = null,
    string? Message = null)
{
    /// <summary>The Welkin API client this outcome belongs to.</summary>
    public string Client { get; init; } = Configuration.WelkinClientSettings.DefaultName;

    /// <summary>
    /// The label of the <c>outcome</c> dimension on the refresh counter. <c>refreshed</c> counts tokens written by this
    /// request; a request that shared another's refresh, in this process or another instance, is <c>joined</c>.
    /// </summary>
    public string MetricOutcome => Status switch
    {
        RefreshStatus.Succeeded when Reason == RefreshReasons.RefreshedConcurrently => "joined",
        RefreshStatus.Succeeded => Refreshed ? "refreshed" : "not-due",
        RefreshStatus.Throttled => "throttled",
        RefreshStatus.WelkinFailed => "welkin-failed",
        RefreshStatus.VaultFailed => "vault-failed",
        RefreshStatus.ConfigurationInvalid => RefreshReasons.ConfigurationInvalid,
        _ => RefreshReasons.InternalError,
    };

    public static string Category(WelkinFailureKind kind) => kind switch
    {
        WelkinFailureKind.CredentialsRejected => "credentials-rejected",
        WelkinFailureKind.RateLimited => "rate-limited",
        WelkinFailureKind.Transient => "welkin-unavailable",
        WelkinFailureKind.InvalidResponse => "invalid-response",
        _ => "welkin-error",
    };

    public static string Category(VaultFailureKind kind) => kind switch
    {
        VaultFailureKind.NoCredential => "vault-no-credential",
        VaultFailureKind.AuthenticationFailed => "vault-authentication-failed",
        VaultFailureKind.Forbidden => "vault-forbidden",
        VaultFailureKind.Throttled => "vault-throttled",
        VaultFailureKind.Unavailable => "vault-unavailable",
        VaultFailureKind.Rejected => "vault-rejected",
        _ => "vault-error",
    };
}
