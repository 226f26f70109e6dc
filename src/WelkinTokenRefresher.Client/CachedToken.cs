namespace WelkinTokenRefresher.Client;

/// <summary>
/// A token with the instants (UTC ticks) that drive caching, so the hot path compares two longs.
/// Immutable: a new instance is published whenever any of them changes.
/// </summary>
internal sealed class CachedToken
{
    private CachedToken(WelkinToken token, long refreshAtTicks, long nextReadAtTicks)
    {
        Token = token;
        ExpiresAtTicks = token.ExpiresOn.UtcTicks;
        RefreshAtTicks = refreshAtTicks;
        NextReadAtTicks = nextReadAtTicks;
    }

    public WelkinToken Token { get; }

    public long ExpiresAtTicks { get; }

    /// <summary>Until this instant the token is served without looking at the vault.</summary>
    public long RefreshAtTicks { get; }

    /// <summary>Before this instant the vault is not read again while this token is valid.</summary>
    public long NextReadAtTicks { get; }

    /// <summary>
    /// Refresh at <c>expiry − refreshBeforeExpiry</c>, but never before <paramref name="nextReadAtTicks"/> (so a token
    /// already in the window, or a backoff, cannot cause a read storm) and never after expiry (so an expired token is never served).
    /// </summary>
    public static CachedToken Create(WelkinToken token, long nextReadAtTicks, TimeSpan refreshBeforeExpiry)
    {
        long expiresAtTicks = token.ExpiresOn.UtcTicks;
        long refreshAtTicks = Math.Min(Math.Max(expiresAtTicks - refreshBeforeExpiry.Ticks, nextReadAtTicks), expiresAtTicks);
        return new CachedToken(token, refreshAtTicks, nextReadAtTicks);
    }

    public bool IsValidAt(long nowTicks) => nowTicks < ExpiresAtTicks;
}
