using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Output;

/// <summary>The categories of <see cref="ErrorReport"/> the CLI prints with <c>--json</c> when a command could not run at all.</summary>
internal static class ErrorReports
{
    /// <summary>The command line itself is wrong: an unknown option, a missing value, options that cannot be combined.</summary>
    public const string Usage = "usage";

    /// <summary>A setting, or the settings file, is not valid: the message names the key or the file and line.</summary>
    public const string ConfigurationInvalid = RefreshReasons.ConfigurationInvalid;

    /// <summary>A defect: the message names the exception's type and asks for a report.</summary>
    public const string InternalError = RefreshReasons.InternalError;

    /// <summary>Stopped by Ctrl+C or SIGTERM before it finished.</summary>
    public const string Cancelled = "cancelled";

    public static ErrorReport Internal(Exception e) => new(InternalError, UnexpectedError.Describe(e, "welkin-token command", "its outcome is unknown; run 'welkin-token status' to see the token"));
}
