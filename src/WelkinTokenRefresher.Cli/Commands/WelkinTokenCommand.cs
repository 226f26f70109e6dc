using System.CommandLine;
using System.CommandLine.Parsing;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Commands;

internal static class WelkinTokenCommand
{
    /// <param name="startedAt">When the process started, for <c>refresh --force</c> (see <see cref="RefreshCommand.Create"/>).</param>
    public static RootCommand Create(TextWriter stdout, TextWriter stderr, DateTimeOffset? startedAt, CompositionOverrides overrides) =>
        new("welkin-token: keep a Welkin API token fresh in Azure Key Vault, outside Azure Functions too.")
        {
            RefreshCommand.Create(stdout, stderr, startedAt, overrides),
            StatusCommand.Create(stdout, stderr, overrides),
            SandboxCommand.Create(stdout, stderr),
        };

    /// <summary>
    /// Parses and runs. Nothing escapes as an exception: a usage error exits 2, as configuration errors do; an exception
    /// nobody classified exits 70 (<see cref="ExitCodes.InternalError"/>) naming its type, never its message (which may quote
    /// a setting); Ctrl+C or SIGTERM exits 130. With <c>--json</c>, stdout carries exactly one JSON object in every case.
    /// </summary>
    /// <param name="overrides">What the caller adds to the composition (tests' faults); none for the tool itself.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, DateTimeOffset? startedAt = null,
        CompositionOverrides? overrides = null, CancellationToken cancellationToken = default)
    {
        var json = false;
        try
        {
            var parseResult = Create(stdout, stderr, startedAt, overrides ?? CompositionOverrides.None).Parse(args);
            json = parseResult.Tokens.Any(token => token is { Type: TokenType.Option, Value: "--json" });
            if (parseResult.Errors.Count > 0)
            {
                new ReportWriter(stdout, stderr, json).Failed(new ErrorReport(ErrorReports.Usage, string.Join(" ", parseResult.Errors.Select(error => error.Message))));
                return ExitCodes.UsageOrConfiguration;
            }

            return await parseResult.InvokeAsync(
                new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The refresher turns every other cancellation into an outcome: what reaches here is Ctrl+C or SIGTERM.
            return Report(new ErrorReport(ErrorReports.Cancelled, "Cancelled before it finished; a refresh under way may or may not have stored its token: run 'welkin-token status'."), ExitCodes.Cancelled);
        }
        catch (Exception e)
        {
            return Report(ErrorReports.Internal(e), ExitCodes.InternalError);
        }

        int Report(ErrorReport report, int exitCode)
        {
            try
            {
                new ReportWriter(stdout, stderr, json).Failed(report);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // stdout or stderr is gone (a closed pipe, a full disk): the exit code is all that is left to say it.
            }

            return exitCode;
        }
    }
}
