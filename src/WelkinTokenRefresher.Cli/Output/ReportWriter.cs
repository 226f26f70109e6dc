using System.Globalization;
using System.Text.Json;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Output;

/// <summary>
/// Writes results to stdout (one sentence, or with <c>--json</c> exactly one JSON object: the HTTP API's, or an
/// <see cref="ErrorReport"/> when the command could not run) and diagnostics to stderr, one line per failure.
/// </summary>
internal sealed class ReportWriter(TextWriter stdout, TextWriter stderr, bool json)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public bool Json => json;

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

    public void ConfigurationError(IReadOnlyList<string> problems)
    {
        if (json)
        {
            WriteJson(new ErrorReport(ErrorReports.ConfigurationInvalid, $"The configuration is not valid: {string.Join(" ", problems)}"));
        }

        Error.WriteLine("welkin-token: the configuration is not valid:");
        foreach (var problem in problems)
        {
            Error.WriteLine($"  {problem}");
        }

        Error.WriteLine("Settings come from appsettings.json in the working directory, environment variables (Welkin__ApiClient, Welkin__Secret, KeyVault__VaultUri, ...) and the options of this command.");
    }

    /// <summary>A command that could not run: the report as JSON with <c>--json</c>, and its message on stderr.</summary>
    public void Failed(ErrorReport report)
    {
        if (json)
        {
            WriteJson(report);
        }

        Error.WriteLine($"welkin-token: {report.Message}");
        if (report.Category == ErrorReports.Usage)
        {
            Error.WriteLine("Run 'welkin-token --help' for usage.");
        }
    }

    /// <summary>Settings that have no effect, such as typos: one warning line each, never the value.</summary>
    public void Warn(IEnumerable<UnknownSetting> settings)
    {
        foreach (var setting in settings)
        {
            Error.WriteLine($"welkin-token: warning: {setting}");
        }
    }

    private void WriteJson(ErrorReport report) => Out.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.ErrorReport));

    private void WriteLine(RefreshReport report, bool named = false) =>
        Out.WriteLine($"{Name(report.Client, named)}{Sentence(report)}: {Token(report.SecretName, report.Version, report.IssuedAt, report.ExpiresAt, report.Reason)}.");

    private void WriteLine(TokenStatusReport report, bool named = false)
    {
        var remaining = report.RemainingSeconds is { } s ? $", {TimeSpan.FromSeconds(Math.Max(s, 0)):hh\\:mm\\:ss} left" : "";
        Out.WriteLine($"{Name(report.Client, named)}{Sentence(report)}: {Token(report.SecretName, report.Version, report.IssuedAt, report.ExpiresAt, report.Reason)}{remaining}{Budget(report)}.");
    }

    /// <summary>What a refresh did, as a person would say it; <c>--json</c> carries the reason and category values.</summary>
    private static string Sentence(RefreshReport report) => report switch
    {
        { Category: { } category } => $"Not refreshed ({category})",
        { Reason: RefreshReasons.RefreshedConcurrently } => "Another process refreshed it",
        { Refreshed: false } => "Not due",
        { Reason: RefreshReasons.NoToken } => "Fetched a new token (the vault had none)",
        { Reason: RefreshReasons.Disabled } => "Fetched a new token (the vault's token was disabled)",
        { Reason: RefreshReasons.Expired } => "Fetched a new token (the vault's token had expired)",
        { Reason: RefreshReasons.RefreshAfterElapsed } => "Fetched a new token (the vault's token had reached Refresh:RefreshAfter)",
        { Reason: RefreshReasons.NearExpiry } => "Fetched a new token (the vault's token was within Refresh:RefreshBeforeExpiry of expiry)",
        { Reason: RefreshReasons.Forced } => "Fetched a new token (forced)",
        _ => $"Fetched a new token ({report.Reason})",
    };

    private static string Sentence(TokenStatusReport report) => report switch
    {
        { Healthy: true } => "Healthy",
        { Reason: RefreshReasons.NoToken } => "Unhealthy, the vault holds no token",
        { Reason: RefreshReasons.Disabled } => "Unhealthy, the vault's token is disabled",
        { Reason: RefreshReasons.Expired } => "Unhealthy, the token has expired",
        { Reason: RefreshReasons.VaultFailed } => $"Unknown, the vault could not be read ({report.Category})",
        { Reason: RefreshReasons.ConfigurationInvalid } => "Unhealthy, this client's settings are not valid (configuration-invalid)",
        { Reason: RefreshReasons.InternalError } => $"Unknown ({report.Category})",
        _ => "Unhealthy, under 5 minutes left",
    };

    /// <summary>The secret and what is known of its token; a vault that could not be read says so, never "no token".</summary>
    private static string Token(string secretName, string? version, DateTimeOffset? issuedAt, DateTimeOffset? expiresAt, string reason) => version switch
    {
        not null => string.Create(CultureInfo.InvariantCulture, $"secret {secretName} version {version}, issued {issuedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}, expires {expiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}"),
        _ when reason is RefreshReasons.VaultFailed or RefreshReasons.InternalError or RefreshReasons.ConfigurationInvalid => $"secret {secretName}, its token not read",
        _ => $"secret {secretName}, no usable token in the vault",
    };

    /// <summary>A single client whose configuration is invalid has no result to print: stdout stays empty, as for any configuration error.</summary>
    private static bool IsConfigurationError(string? category) => category == RefreshReasons.ConfigurationInvalid;

    /// <summary>The client's name before a line, for several clients or any client but the default.</summary>
    private static string Name(string client, bool named) =>
        named || client != WelkinClientSettings.DefaultName ? $"[{client}] " : "";

    private void Diagnose(string client, string? category, string? message, int? retryAfterSeconds)
    {
        if (message is null)
        {
            return;
        }

        var retry = retryAfterSeconds is { } r ? $" Retry after {r} s." : "";
        var who = client == WelkinClientSettings.DefaultName ? "" : $"client {client}: ";
        Error.WriteLine($"welkin-token: {who}{category}: {message}{retry}");
    }

    /// <summary>The client's token requests against its ceiling, and a Welkin block in force: <c>, requests 3/10 in 5 min</c>.</summary>
    private static string Budget(TokenStatusReport report) =>
        (report.TokenRequestsLast5Minutes is { } sent && report.MaxTokenRequestsPer5Minutes is { } ceiling
            ? string.Create(CultureInfo.InvariantCulture, $", requests {sent}/{ceiling} in 5 min")
            : "")
        + (report.BlockedUntil is { } until ? string.Create(CultureInfo.InvariantCulture, $", blocked by Welkin until {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}") : "");
}
