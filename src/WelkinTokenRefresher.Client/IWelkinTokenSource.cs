namespace WelkinTokenRefresher.Client;

/// <summary>
/// Supplies the current Welkin bearer token. Implementations are thread-safe and cache the token.
/// </summary>
public interface IWelkinTokenSource
{
    /// <summary>
    /// Gets a token that is valid now. Served from cache while it is fresh; the vault is read only when
    /// the cache is cold, the token has expired, or (in the background) when it nears expiry.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for a vault read. It does not cancel a read other callers share.</param>
    /// <returns>A token that has not expired.</returns>
    /// <exception cref="WelkinTokenUnavailableException">No valid token could be obtained; the message says why and what to do.</exception>
    ValueTask<WelkinToken> GetTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Forces a re-read of the vault because Welkin rejected <paramref name="staleVersion"/> (for example with a 401).
    /// If the cache already holds a different version, that one is returned without a read. Re-reads are
    /// rate-limited: a version read moments ago is returned again rather than read again, so a burst of
    /// 401s cannot flood the vault. Compare the returned <see cref="WelkinToken.Version"/> with
    /// <paramref name="staleVersion"/> to know whether a newer token was found.
    /// </summary>
    /// <param name="staleVersion">The version that was rejected, or <see langword="null"/> to re-read whatever is cached.</param>
    /// <param name="cancellationToken">Stops waiting for the vault read. It does not cancel a read other callers share.</param>
    /// <returns>The newest valid token known; possibly the same version if the vault holds nothing newer.</returns>
    /// <exception cref="WelkinTokenUnavailableException">No valid token could be obtained; the message says why and what to do.</exception>
    ValueTask<WelkinToken> RefreshAsync(string? staleVersion, CancellationToken cancellationToken = default);
}
