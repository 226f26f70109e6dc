namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>The vault's current token metadata: the JSON of <c>GET /api/token/status</c> and <c>welkin-token status --json</c>.</summary>
/// <param name="Healthy">Whether the token has at least <see cref="HealthyRemainingLifetime"/> to live.</param>
/// <param name="Reason"><c>ok</c>, <c>no-token</c>, <c>disabled</c>, <c>expired</c>, <c>expiring-soon</c>, <c>vault-failed</c>, <c>configuration-invalid</c> or <c>internal-error</c>.</param>
public sealed record TokenStatusReport(
    bool Healthy,
    string Reason,
    string SecretName,
    string? Version,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    int? RemainingSeconds,
    string? Category = null,
    string? Message = null)
{
    /// <summary>The Welkin API client whose token this is.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Client { get; init; } = Configuration.WelkinClientSettings.DefaultName;

    public static readonly TimeSpan HealthyRemainingLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The client's token requests counted in the last 5 minutes: the budget all instances share where storage is configured, else this instance's.</summary>
    public int? TokenRequestsLast5Minutes { get; init; }

    /// <summary>The client's own ceiling (its <c>MaxTokenRequestsPer5Minutes</c>).</summary>
    public int? MaxTokenRequestsPer5Minutes { get; init; }

    /// <summary>Until when a Welkin 429 block holds for the client (UTC), or null: always written, as <c>null</c> when none holds.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public DateTimeOffset? BlockedUntil { get; init; }
}
