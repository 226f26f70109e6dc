using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>The JSON answer of a refresh, the same from the HTTP API and <c>welkin-token refresh --json</c>. Never the token.</summary>
public sealed record RefreshReport(
    bool Refreshed,
    string Reason,
    string SecretName,
    string? Version,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    string? Category = null,
    string? Message = null,
    int? RetryAfterSeconds = null)
{
    /// <summary>The Welkin API client refreshed.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Client { get; init; } = Configuration.WelkinClientSettings.DefaultName;

    public static RefreshReport From(RefreshOutcome outcome) => new(
        outcome.Refreshed,
        outcome.Reason,
        outcome.SecretName,
        outcome.Token?.Version,
        outcome.Token?.IssuedAt,
        outcome.Token?.ExpiresAt,
        outcome.FailureCategory,
        outcome.Message,
        outcome.RetryAfter is { } r ? ToRetryAfterSeconds(r) : null)
    {
        Client = outcome.Client,
    };

    /// <summary>Whole seconds, rounded up, at least one: what a Retry-After header carries.</summary>
    public static int ToRetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
}
