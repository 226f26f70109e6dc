namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>The <c>reason</c> values of a refresh answer: a contract with the HTTP API, the CLI and dashboards.</summary>
public static class RefreshReasons
{
    public const string NoToken = "no-token";
    public const string Disabled = "disabled";
    public const string Expired = "expired";
    public const string RefreshAfterElapsed = "refresh-after-elapsed";
    public const string NearExpiry = "near-expiry";
    public const string NotDue = "not-due";
    public const string Forced = "forced";
    public const string ForceTooSoon = "force-too-soon";
    public const string RefreshedConcurrently = "refreshed-concurrently";
    public const string RateLimited = "rate-limited";
    public const string RefreshInProgress = "refresh-in-progress";
    public const string WelkinFailed = "welkin-failed";
    public const string VaultFailed = "vault-failed";
    public const string ConfigurationInvalid = "configuration-invalid";
    public const string InternalError = "internal-error";
}
