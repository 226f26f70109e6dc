namespace WelkinTokenRefresher.Client.Telemetry;

/// <summary>The <c>outcome</c> tag of a read: <c>ok</c>, or the reason it failed in snake_case.</summary>
internal static class ReadOutcomes
{
    public const string Ok = "ok";

    public static string Of(WelkinTokenUnavailableReason reason) => reason switch
    {
        WelkinTokenUnavailableReason.SecretNotFound => "secret_not_found",
        WelkinTokenUnavailableReason.Forbidden => "forbidden",
        WelkinTokenUnavailableReason.AuthenticationFailed => "authentication_failed",
        WelkinTokenUnavailableReason.Disabled => "disabled",
        WelkinTokenUnavailableReason.Expired => "expired",
        WelkinTokenUnavailableReason.InvalidSecret => "invalid_secret",
        WelkinTokenUnavailableReason.Throttled => "throttled",
        _ => "vault_unavailable",
    };
}
