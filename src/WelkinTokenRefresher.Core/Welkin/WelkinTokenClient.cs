using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Core.Telemetry;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// One client's token request to either of Welkin's token APIs. Retries, timeouts and the rate guard live in its handler
/// pipeline. Messages name the client's keys (<see cref="ClientKeys"/>), never the request URL, whose path holds settings.
/// </summary>
internal sealed class WelkinTokenClient(
    HttpClient http,
    IOptions<WelkinOptions> options,
    TimeProvider time,
    ILogger<WelkinTokenClient> logger) : IWelkinTokenClient
{
    public static readonly TimeSpan MinRemainingLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DocumentedLifetime = TimeSpan.FromHours(1);

    /// <summary>Key Vault stores a secret value of at most this many characters; a longer token could never be written.</summary>
    public const int MaxStorableTokenLength = 25_600;

    public async Task<IssuedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Serialized up front so the request carries Content-Length: some gateways and proxies refuse a chunked body (411).
        var body = settings.UsesApiClientsApi
            ? JsonSerializer.SerializeToUtf8Bytes(new WelkinApiClientsTokenRequest(settings.Secret), WelkinJsonContext.Default.WelkinApiClientsTokenRequest)
            : JsonSerializer.SerializeToUtf8Bytes(new WelkinTokenRequest(settings.Secret, settings.ApiClient), WelkinJsonContext.Default.WelkinTokenRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpoint)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };

        using var response = await SendAsync(request, settings, cancellationToken);
        var answer = await ReadBodyAsync(response, cancellationToken);
        var receivedAt = time.GetUtcNow();
        return Parse(answer, receivedAt, settings);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, WelkinOptions settings, CancellationToken cancellationToken)
    {
        var keys = settings.Keys;
        var host = settings.BaseUrl.Host;
        var started = time.GetTimestamp();
        var attempts = WelkinAttemptCounter.Track(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            // The per-attempt timeout, or (a safety net no schedule of attempts reaches) the limit around all of them.
            var limit = e.Timeout == settings.Timeout
                ? $"{keys.Timeout}, the limit per attempt"
                : $"the limit for all attempts together; each may take {settings.Timeout}, {keys.Timeout}";
            throw new WelkinTokenException(WelkinFailureKind.Transient,
                $"Welkin at {host} did not answer in time: {Last(attempts)} was stopped after {e.Timeout} ({limit}); {Elapsed(started)} in all, with the pauses between attempts.", innerException: e);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ResponseEnded)
        {
            throw new WelkinTokenException(WelkinFailureKind.Transient, $"Welkin's answer from {host} broke off before it was complete ({Last(attempts)}); {Elapsed(started)} in all.", innerException: e);
        }
        catch (HttpRequestException e) when (ConnectionFailure.Tls(e) is { } tls)
        {
            throw new WelkinTokenException(WelkinFailureKind.Transient, $"The TLS connection to Welkin at {host} failed: {tls}. Check {keys.BaseUrl}.", innerException: e);
        }
        catch (HttpRequestException e)
        {
            throw new WelkinTokenException(WelkinFailureKind.Transient,
                $"Welkin could not be reached at {host} ({ConnectionFailure.Cause(e) ?? e.HttpRequestError.ToString()}) in {Attempts(attempts)}, {Elapsed(started)} in all. Check {keys.BaseUrl} and the network.", innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WelkinTokenException(WelkinFailureKind.Transient, $"The token request to {host} timed out after {Elapsed(started)} ({Attempts(attempts)}).", innerException: e);
        }
        catch (Exception e) when (e is not (WelkinTokenException or OperationCanceledException))
        {
            throw new WelkinTokenException(WelkinFailureKind.Unexpected,
                $"The token request to Welkin at {host} failed with {UnexpectedError.TypeName(e)}, which this app does not recognise. Check {keys.BaseUrl}, and please report it with this message.", innerException: e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw Classify(response, settings, await ReadErrorCodesAsync(response, settings, cancellationToken));
        }
    }

    /// <summary>The error codes of a rejected request (such as <c>[{"errorCode": "…"}]</c>), for the message; nothing else of the body.</summary>
    private async Task<IReadOnlyList<string>> ReadErrorCodesAsync(HttpResponseMessage response, WelkinOptions settings, CancellationToken cancellationToken)
    {
        if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            || response.Content.Headers.ContentLength > WelkinErrorCodes.MaxBodyBytes)
        {
            return [];
        }

        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            var buffer = new byte[WelkinErrorCodes.MaxBodyBytes + 1];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length), linked.Token);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length > WelkinErrorCodes.MaxBodyBytes ? [] : WelkinErrorCodes.Read(buffer.AsSpan(0, length));
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The status already says the credentials were rejected; the codes only add detail.
            return [];
        }
    }

    private string Elapsed(long started) => $"{time.GetElapsedTime(started).TotalSeconds:F1} s";

    private static string Attempts(StrongBox<int> attempts) => attempts.Value == 1 ? "1 attempt" : $"{attempts.Value} attempts";

    private static string Last(StrongBox<int> attempts) => attempts.Value == 1 ? "its only attempt" : $"the last of {attempts.Value} attempts";

    private WelkinTokenException Classify(HttpResponseMessage response, WelkinOptions settings, IReadOnlyList<string> errorCodes)
    {
        var keys = settings.Keys;
        var status = (int)response.StatusCode;
        var reason = $"{status} {response.ReasonPhrase}".TrimEnd() + (errorCodes.Count > 0 ? ", " + string.Join(", ", errorCodes) : "");
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new WelkinTokenException(
                WelkinFailureKind.CredentialsRejected,
                $"Welkin rejected the API client credentials ({reason}): check {keys.ApiClient} and {keys.Secret} against Welkin Admin > API Clients.",
                statusCode: status),
            HttpStatusCode.TooManyRequests => new WelkinTokenException(
                WelkinFailureKind.RateLimited,
                $"Welkin is rate limiting this API client ({reason}); no token request is sent until the block passes.",
                WelkinRateGuard.BlockFor(RetryAfterHeader.Read(response, time.GetUtcNow())),
                status),
            HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => new WelkinTokenException(
                WelkinFailureKind.Transient,
                $"Welkin is unavailable ({reason}), retries included.",
                statusCode: status),
            _ => new WelkinTokenException(
                WelkinFailureKind.InvalidResponse,
                $"Welkin answered {reason} to the token request: check {(settings.UsesApiClientsApi ? $"{keys.BaseUrl}, {keys.Tenant} and {keys.ApiClient}" : $"{keys.BaseUrl} and {keys.TokenPath}")}.",
                statusCode: status),
        };
    }

    // WelkinAnswerHandler, inside the retries, has already read the answer in full and within its size limit.
    private static Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.Content.ReadAsByteArrayAsync(cancellationToken);

    private IssuedToken Parse(byte[] body, DateTimeOffset receivedAt, WelkinOptions settings)
    {
        var shape = settings.UsesApiClientsApi ? "{\"token\"}" : "{\"token\", \"expiresAt\"}";
        WelkinTokenResponse? answer;
        try
        {
            answer = body.Length == 0 ? null : JsonSerializer.Deserialize(body, WelkinJsonContext.Default.WelkinTokenResponse);
        }
        catch (JsonException)
        {
            // The JsonException message quotes the body, which may hold a token: it is dropped on purpose.
            throw Invalid($"Welkin's answer is not the expected JSON object {shape}.");
        }

        if (answer is null)
        {
            throw Invalid("Welkin's answer is empty.");
        }

        if (answer.Enabled == false)
        {
            throw new WelkinTokenException(
                WelkinFailureKind.CredentialsRejected,
                $"Welkin answered that the API client is disabled (\"enabled\": false); its token is not stored. Enable it in Welkin Admin > API Clients or check {settings.Keys.ApiClient}.");
        }

        var token = answer.Token;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw Invalid("Welkin's answer has no token.");
        }

        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Invalid("Welkin's token contains white space or control characters and cannot be sent as a bearer token.");
        }

        // Refused here rather than by the vault: no write is attempted, and the failure names Welkin's answer, not Key Vault.
        if (token.Length > MaxStorableTokenLength)
        {
            throw Invalid($"Welkin's token is {token.Length} characters long, more than the {MaxStorableTokenLength} Key Vault stores in a secret: it is not stored.");
        }

        var (expiresAt, source) = ReadExpiry(answer.ExpiresAt, token, receivedAt);
        if (expiresAt - receivedAt < MinRemainingLifetime)
        {
            throw Invalid($"Welkin's token expires at {expiresAt:O}, less than a minute after it was received ({receivedAt:O}): it is not stored.");
        }

        return new IssuedToken(token, receivedAt, expiresAt, source, settings.ApiClient);
    }

    private (DateTimeOffset ExpiresAt, ExpirySource Source) ReadExpiry(string? expiresAtField, string token, DateTimeOffset receivedAt)
    {
        if (expiresAtField is not null)
        {
            if (DateTimeOffset.TryParse(expiresAtField, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return (parsed, ExpirySource.ExpiresAtField);
            }

            // The token's own exp claim is authoritative; an odd expiresAt format must not stop the refresh.
            if (JwtExpiry.TryRead(token) is { } claimed)
            {
                Log.ExpiresAtUnparseable(logger, options.Value.ClientName, claimed);
                return (claimed, ExpirySource.JwtExpClaim);
            }

            throw Invalid("Welkin's expiresAt is not an ISO 8601 timestamp and the token carries no exp claim.");
        }

        if (JwtExpiry.TryRead(token) is { } exp)
        {
            // The api-clients API never sends an expiry: its exp claim is the normal case there, not a warning.
            if (options.Value.UsesApiClientsApi)
            {
                Log.ExpiryFromApiClientsJwt(logger, options.Value.ClientName, exp);
            }
            else
            {
                Log.ExpiryFromJwtClaim(logger, options.Value.ClientName, exp);
            }

            return (exp, ExpirySource.JwtExpClaim);
        }

        var assumed = receivedAt + DocumentedLifetime;
        Log.ExpiryAssumed(logger, options.Value.ClientName, assumed);
        return (assumed, ExpirySource.DocumentedLifetime);
    }

    private static WelkinTokenException Invalid(string message) => new(WelkinFailureKind.InvalidResponse, message);
}
