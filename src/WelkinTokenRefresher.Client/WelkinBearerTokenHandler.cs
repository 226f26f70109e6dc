using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Attaches <c>Authorization: Bearer &lt;token&gt;</c> from an <see cref="IWelkinTokenSource"/> to every request.
/// </summary>
/// <remarks>
/// On a 401 it asks the source for a re-read once (<see cref="IWelkinTokenSource.RefreshAsync"/>). If that yields a
/// different version, and the request body can be sent again, the request is retried once with the new token;
/// otherwise the 401 is returned as is. It never retries more than once.
/// A body can be sent again when there is none, or when it is a <see cref="ByteArrayContent"/> (including
/// <see cref="StringContent"/> and <see cref="FormUrlEncodedContent"/>), <c>ReadOnlyMemoryContent</c>,
/// <c>JsonContent</c>, or a <see cref="MultipartContent"/> made only of those. A <see cref="StreamContent"/> is not retried.
/// Only asynchronous sends are supported.
/// </remarks>
public sealed class WelkinBearerTokenHandler : DelegatingHandler
{
    private const string Scheme = "Bearer";

    private readonly IWelkinTokenSource _tokenSource;
    private readonly ILogger _logger;

    // One header per token instance: the common path sets an existing header object instead of allocating one.
    private volatile TokenHeader? _header;

    /// <summary>Creates the handler.</summary>
    /// <param name="tokenSource">Where tokens come from.</param>
    /// <param name="logger">Logs 401 handling; never the token. Null means no logging.</param>
    public WelkinBearerTokenHandler(IWelkinTokenSource tokenSource, ILogger<WelkinBearerTokenHandler>? logger = null)
    {
        Guard.NotNull(tokenSource);
        _tokenSource = tokenSource;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Guard.NotNull(request);
        ValueTask<WelkinToken> pendingToken = _tokenSource.GetTokenAsync(cancellationToken);
        if (!pendingToken.IsCompletedSuccessfully)
        {
            return SendWithPendingTokenAsync(request, pendingToken, cancellationToken);
        }

        // Cached token and a response already there: no state machine, no allocation of our own.
        WelkinToken token = pendingToken.Result;
        Task<HttpResponseMessage> sending = SendWithTokenAsync(request, token, cancellationToken);
        if (sending.Status == TaskStatus.RanToCompletion && sending.Result.StatusCode != HttpStatusCode.Unauthorized)
        {
            return sending;
        }

        return HandleResponseAsync(request, token, sending, cancellationToken);
    }

#if NET
    /// <summary>Synchronous sends are not supported: the token may need an asynchronous vault read.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            "WelkinBearerTokenHandler supports only asynchronous sends (HttpClient.SendAsync and friends), because the token may need an asynchronous Key Vault read.");
#endif

    private async Task<HttpResponseMessage> SendWithPendingTokenAsync(
        HttpRequestMessage request, ValueTask<WelkinToken> pendingToken, CancellationToken cancellationToken)
    {
        WelkinToken token = await pendingToken.ConfigureAwait(false);
        return await HandleResponseAsync(request, token, SendWithTokenAsync(request, token, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> HandleResponseAsync(
        HttpRequestMessage request, WelkinToken token, Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await sending.ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        WelkinToken fresh;
        try
        {
            fresh = await _tokenSource.RefreshAsync(token.Version, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The caller gets the exception instead of the 401, so nobody else will dispose the 401.
            response.Dispose();
            throw;
        }

        if (fresh.Version == token.Version)
        {
            ClientLog.NoNewerToken(_logger, token.Version);
            return response;
        }

        if (!ReplayableContent.CanSendAgain(request.Content))
        {
            ClientLog.CannotReplayContent(_logger, token.Version, fresh.Version);
            return response;
        }

        ClientLog.RetryingWithNewToken(_logger, token.Version, fresh.Version);
        response.Dispose();

        // The retry's answer is final, whatever it is: no loop.
        return await SendWithTokenAsync(request, fresh, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, WelkinToken token, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = HeaderFor(token);
        return base.SendAsync(request, cancellationToken);
    }

    private AuthenticationHeaderValue HeaderFor(WelkinToken token)
    {
        TokenHeader? header = _header;
        if (header is null || !ReferenceEquals(header.Token, token))
        {
            header = new TokenHeader(token, new AuthenticationHeaderValue(Scheme, token.Value));
            _header = header;
        }

        return header.Value;
    }

    private sealed class TokenHeader(WelkinToken token, AuthenticationHeaderValue value)
    {
        public WelkinToken Token { get; } = token;

        public AuthenticationHeaderValue Value { get; } = value;
    }
}
