namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>The vault's current token metadata: the JSON of <c>GET /api/token/status</c> and <c>welkin-token status --json</c>.</summary>
/// <param name="Healthy">Whether the token has at least <see cref="HealthyRemainingLifetime"/> to live.</param>
/// <param name="Reason"><c>ok</c>, <c>no-token</c>, <c>disabled</c>, <c>expired</c>, <c>expiring-soon</c> or <c>vault-failed</c>.</param>
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
}
