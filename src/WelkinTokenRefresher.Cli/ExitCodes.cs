using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Cli;

/// <summary>The exit codes of welkin-token: a contract with scripts and schedulers.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Unhealthy = 1;
    public const int UsageOrConfiguration = 2;
    public const int CredentialsRejected = 3;
    public const int RateLimited = 4;
    public const int WelkinUnavailable = 5;
    public const int KeyVaultError = 6;

    public static int From(RefreshOutcome outcome) => outcome.Status switch
    {
        RefreshStatus.Succeeded => Success,
        RefreshStatus.Throttled => RateLimited,
        RefreshStatus.WelkinFailed when outcome.FailureCategory == RefreshOutcome.Category(Core.Welkin.WelkinFailureKind.CredentialsRejected) => CredentialsRejected,
        RefreshStatus.WelkinFailed => WelkinUnavailable,
        _ => KeyVaultError,
    };
}
