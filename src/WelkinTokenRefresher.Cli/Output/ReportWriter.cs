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
        else if (!IsConfigurationError(report.Category))
        {
            WriteLine(report);
        }

        Diagnose(report.Client, report.Category, report.Message, report.RetryAfterSeconds);
    }

    /// <summary>Every client's refresh: one JSON object, or one line per client (each with its name).</summary>
    public void Write(AllClientsRefreshReport reports)
    {
        if (json)
        {
            Out.WriteLine(JsonSerializer.Serialize(reports, ReportJsonContext.Default.AllClientsRefreshReport));
        }

        foreach (var report in reports.Clients)
        {
            if (!json)
            {
                WriteLine(report, named: true);
            }

            Diagnose(report.Client, report.Category, report.Message, report.RetryAfterSeconds);
        }
    }

    public void Write(TokenStatusReport report)
    {
        if (json)
        {
            Out.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.TokenStatusReport));
        }
        else if (!IsConfigurationError(report.Category))
        {
            WriteLine(report);
        }

        Diagnose(report.Client, report.Category, report.Message, null);
    }

    /// <summary>Every client's status: one JSON object, or one line per client (each with its name).</summary>
    public void Write(AllClientsStatusReport reports)
    {
        if (json)
        {
            Out.WriteLine(JsonSerializer.Serialize(reports, ReportJsonContext.Default.AllClientsStatusReport));
        }

        foreach (var report in reports.Clients)
        {
            if (!json)
            {
                WriteLine(report, named: true);
            }

            Diagnose(report.Client, report.Category, report.Message, null);
        }
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

    private void WriteLine(RefreshReport report, bool named = false)
    {
        var verdict = report.Refreshed ? "Refreshed" : report.Category is null ? "Not refreshed" : "Failed";
        Out.WriteLine($"{Name(report.Client, named)}{verdict} ({report.Reason}): secret {report.SecretName}{Describe(report.Version, report.IssuedAt, report.ExpiresAt)}.");
    }

    private void WriteLine(TokenStatusReport report, bool named = false)
    {
        var remaining = report.RemainingSeconds is { } s ? $", {TimeSpan.FromSeconds(Math.Max(s, 0)):hh\\:mm\\:ss} left" : "";
        Out.WriteLine($"{Name(report.Client, named)}{(report.Healthy ? "Healthy" : "Unhealthy")} ({report.Reason}): secret {report.SecretName}{Describe(report.Version, report.IssuedAt, report.ExpiresAt)}{remaining}{Budget(report)}.");
    }

    /// <summary>A single client whose configuration is invalid has no result to print: stdout stays empty, as for any configuration error.</summary>
    private static bool IsConfigurationError(string? category) => category == Core.Refresh.RefreshReasons.ConfigurationInvalid;

    /// <summary>The client's name before a line, for several clients or any client but the default.</summary>
    private static string Name(string client, bool named) =>
        named || client != Core.Configuration.WelkinClientSettings.DefaultName ? $"[{client}] " : "";

    private void Diagnose(string client, string? category, string? message, int? retryAfterSeconds)
    {
        if (message is null)
        {
            return;
        }

        var retry = retryAfterSeconds is { } r ? $" Retry after {r} s." : "";
        var who = client == Core.Configuration.WelkinClientSettings.DefaultName ? "" : $"client {client}: ";
        Error.WriteLine($"welkin-token: {who}{category}: {message}{retry}");
    }

    /// <summary>The client's token requests against its ceiling, and a Welkin block in force: <c>, requests 3/10 in 5 min</c>.</summary>
    private static string Budget(TokenStatusReport report) =>
        (report.TokenRequestsLast5Minutes is { } sent && report.MaxTokenRequestsPer5Minutes is { } ceiling
            ? string.Create(CultureInfo.InvariantCulture, $", requests {sent}/{ceiling} in 5 min")
            : "")
        + (report.BlockedUntil is { } until ? string.Create(CultureInfo.InvariantCulture, $", blocked by Welkin until {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}") : "");

    private static string Describe(string? version, DateTimeOffset? issuedAt, DateTimeOffset? expiresAt) =>
        version is null
            ? ", no token in the vault"
            : string.Create(CultureInfo.InvariantCulture, $" version {version}, issued {issuedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}, expires {expiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}");
}
