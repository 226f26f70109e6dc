namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// A failed token request. Messages are written here, from status codes and categories only:
/// never from the response body, which could echo the secret or carry a token.
/// </summary>
public sealed class WelkinTokenException : Exception
{
    public WelkinTokenException(WelkinFailureKind kind, string message, TimeSpan? retryAfter = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        RetryAfter = retryAfter;
        StatusCode = statusCode;
    }

    public WelkinFailureKind Kind { get; }

    /// <summary>For <see cref="WelkinFailureKind.RateLimited"/>: how long until a request may be sent again.</summary>
    public TimeSpan? RetryAfter { get; }

    public int? StatusCode { get; }
}
