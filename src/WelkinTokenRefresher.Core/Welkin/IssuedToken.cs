namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>A token as Welkin issued it.</summary>
/// <param name="Value">The bearer token, exactly as received.</param>
/// <param name="IssuedAt">When we received it.</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="ExpirySource">Where the expiry came from.</param>
/// <param name="ApiClient">The API client key it was issued to (tagged on the secret; never the secret).</param>
public sealed record IssuedToken(string Value, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, ExpirySource ExpirySource, string ApiClient = "")
{
    // Records print every member; the token must never reach a log line through ToString.
    public override string ToString() => $"IssuedToken {{ IssuedAt = {IssuedAt:O}, ExpiresAt = {ExpiresAt:O}, ExpirySource = {ExpirySource}, ApiClient = {ApiClient} }}";
}

public enum ExpirySource
{
    /// <summary>The <c>expiresAt</c> field of Welkin's answer.</summary>
    ExpiresAtField,

    /// <summary>The JWT's <c>exp</c> claim, because <c>expiresAt</c> was absent.</summary>
    JwtExpClaim,

    /// <summary>Welkin's documented one-hour lifetime, because neither was present.</summary>
    DocumentedLifetime,
}
