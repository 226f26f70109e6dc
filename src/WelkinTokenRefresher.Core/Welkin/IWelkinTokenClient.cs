namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>Asks Welkin for a new token.</summary>
public interface IWelkinTokenClient
{
    /// <exception cref="WelkinTokenException">The request failed; its <see cref="WelkinTokenException.Kind"/> says how.</exception>
    Task<IssuedToken> RequestTokenAsync(CancellationToken cancellationToken);
}
