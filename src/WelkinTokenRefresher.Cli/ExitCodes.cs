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

    /// <summary>An error this tool does not recognise (a defect): distinct from every outcome, reported with its exception type.</summary>
    public const int InternalError = 70;

    /// <summary>Stopped by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// Most severe first: how several clients' codes combine (<c>--all</c>) into one. What needs a person comes before what
    /// passes by itself: an internal error, configuration, rejected credentials, Key Vault (usually a missing role), Welkin
    /// unavailable, rate limited (the block ends by itself), unhealthy, success.
    /// </summary>
    public static IReadOnlyList<int> BySeverity => SeverityOrder;

    private static readonly int[] SeverityOrder = [InternalError, UsageOrConfiguration, CredentialsRejected, KeyVaultError, WelkinUnavailable, RateLimited, Unhealthy, Success];

    /// <summary>The most severe of <paramref name="codes"/> by <see cref="BySeverity"/>; <see cref="Success"/> for none.</summary>
    public static int Combine(IEnumerable<int> codes) =>
        codes.Select(code => (Code: code, Rank: Math.Max(0, Array.IndexOf(SeverityOrder, code))))
            .DefaultIfEmpty((Code: Success, Rank: SeverityOrder.Length))
            .MinBy(c => c.Rank).Code;

    public static int From(Core.Reporting.TokenStatusReport report) => report.Category switch
    {
        RefreshReasons.ConfigurationInvalid => UsageOrConfiguration,
        RefreshReasons.InternalError => InternalError,
        not null => KeyVaultError,
        _ => report.Healthy ? Success : Unhealthy,
    };

    public static int From(RefreshOutcome outcome) => outcome.Status switch
    {
        RefreshStatus.Succeeded => Success,
        RefreshStatus.Throttled => RateLimited,
        RefreshStatus.WelkinFailed when outcome.FailureCategory == RefreshOutcome.Category(Core.Welkin.WelkinFailureKind.CredentialsRejected) => CredentialsRejected,
        RefreshStatus.WelkinFailed => WelkinUnavailable,
        RefreshStatus.VaultFailed => KeyVaultError,
        RefreshStatus.ConfigurationInvalid => UsageOrConfiguration,
        _ => InternalError,
    };
}
