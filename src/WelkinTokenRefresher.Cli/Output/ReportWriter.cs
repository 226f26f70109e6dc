using System.Globalization;
using System.Text.Json;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Output;

/// <summary>Writes results to stdout (one human line, or the same JSON as the HTTP API) and diagnostics to stderr.</summary>
internal sealed class ReportWriter(TextWriter stdout, TextWriter stderr, bool json)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public void Write(RefreshReport report)
    {
        if (json)
        {
            Out.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.RefreshReport));
        }
        else
        {
            var verdict = report.Refreshed ? "Refreshed" : report.Category is null ? "Not refreshed" : "Failed";
            Out.WriteLine($"{verdict} ({report.Reason}): secret {report.SecretName}{Describe(report.Version, report.IssuedAt, report.ExpiresAt)}.");
        }

        Diagnose(report.Category, report.Message, report.RetryAfterSeconds);
    }

    public void Write(TokenStatusReport report)
    {
        if (json)
        {
            Out.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.TokenStatusReport));
        }
        else
        {
            var remaining = report.RemainingSeconds is { } s ? $", {TimeSpan.FromSeconds(Math.Max(s, 0)):hh\\:mm\\:ss} left" : "";
            Out.WriteLine($"{(report.Healthy ? "Healthy" : "Unhealthy")} ({report.Reason}): secret {report.SecretName}{Describe(report.Version, report.IssuedAt, report.ExpiresAt)}{remaining}.");
        }

        Diagnose(report.Category, report.Message, null);
    }

    public void ConfigurationError(IEnumerable<string> problems)
    {
        Error.WriteLine("welkin-token: the configuration is not valid:");
        foreach (var problem in problems)
        {
            Error.WriteLine($"  {problem}");
        }

        Error.WriteLine("Settings come from appsettings.json in the working directory, environment variables (Welkin__ApiClient, Welkin__Secret, KeyVault__VaultUri, ...) and the options of this command.");
    }

    private void Diagnose(string? category, string? message, int? retryAfterSeconds)
    {
        if (message is null)
        {
            return;
        }

        var retry = retryAfterSeconds is { } r ? $" Retry after {r} s." : "";
        Error.WriteLine($"welkin-token: {category}: {message}{retry}");
    }

    private static string Describe(string? version, DateTimeOffset? issuedAt, DateTimeOffset? expiresAt) =>
        version is null
            ? ", no token in the vault"
            : string.Create(CultureInfo.InvariantCulture, $" version {version}, issued {issuedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}, expires {expiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}");
}
