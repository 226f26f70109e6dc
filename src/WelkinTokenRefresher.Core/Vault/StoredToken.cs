namespace WelkinTokenRefresher.Core.Vault;

/// <summary>The metadata of the token version in the vault. The value itself is never carried around.</summary>
public sealed record StoredToken(string SecretName, string Version, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt)
{
    public TimeSpan RemainingLifetime(DateTimeOffset now) => ExpiresAt is { } e ? e - now : TimeSpan.Zero;

    public bool IsValidAt(DateTimeOffset now) => ExpiresAt is { } e && e > now;
}
