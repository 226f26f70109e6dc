using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WelkinTokenRefresher.Sandbox.Hosting;
using WelkinTokenRefresher.Sandbox.Json;
using WelkinTokenRefresher.Sandbox.Jwt;
using WelkinTokenRefresher.Sandbox.Logging;

namespace WelkinTokenRefresher.Sandbox.Welkin;

/// <summary>
/// State and decisions of the Welkin auth stand-in: credentials, RS256 token issue, the 100-per-5-minutes
/// block, injected faults, an outage switch and counters. HTTP mapping lives in <see cref="WelkinEndpoints"/>.
/// </summary>
public sealed class WelkinAuthEmulator : IDisposable
{
    private const int DripChunks = 10;
    private const int HugeBodyBytes = 2 * 1024 * 1024;
    private const int OversizedTokenLength = 30_000;

    private readonly TimeProvider _time;
    private readonly WelkinEmulatorOptions _options;
    private readonly ILogger _logger;
    private readonly RsaJwtSigner _signer = new();
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly long[] _outcomes = new long[Enum.GetValues<TokenRequestOutcome>().Length];
    private (string ApiClient, string Secret) _credentials;
    private DateTimeOffset? _blockedUntil;
    private bool _blockSendsRetryAfter = true;
    private (TimeSpan Duration, bool WithRetryAfter)? _pendingBlock;
    private (int StatusCode, DateTimeOffset? Until)? _outage;
    private long _tokenRequests;
    private long _pingCalls;
    private long _pingRejected;
    private int _peakInWindow;
    private long _blocks;
    private long _chunkedTokenRequests;

    /// <param name="apiClient">The API client key accepted.</param>
    /// <param name="secret">The secret accepted.</param>
    /// <param name="time">The clock of token times, rate windows and Retry-After.</param>
    /// <param name="options">Lifetime, rate limit and issuer; defaults are Welkin's.</param>
    /// <param name="logger">Never receives token values or the secret.</param>
    public WelkinAuthEmulator(string apiClient, string secret, TimeProvider time, WelkinEmulatorOptions? options = null, ILogger? logger = null)
    {
        SetCredentials(apiClient, secret);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new WelkinEmulatorOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    public string ApiClient => _credentials.ApiClient;

    public string Secret => _credentials.Secret;

    public TimeSpan TokenLifetime => _options.TokenLifetime;

    /// <summary>
    /// Awaited for each token request after it has been counted (rate window, block) and before it is answered, so
    /// a simulation can make Welkin take time: a token minted after it carries the later time, while a block still counts
    /// from the request's arrival.
    /// </summary>
    public Func<CancellationToken, Task>? Processing { get; set; }

    /// <summary>Faults answering the next token requests, in order (ping calls are never faulted).</summary>
    public FaultSchedule<WelkinFault> Faults { get; } = new();

    /// <summary>When the rate-limit block ends, or null while the client is not blocked.</summary>
    public DateTimeOffset? BlockedUntil
    {
        get
        {
            lock (_gate)
            {
                return _blockedUntil > _time.GetUtcNow() ? _blockedUntil : null;
            }
        }
    }

    /// <summary>True while the outage mode answers every token request.</summary>
    public bool IsOutage
    {
        get
        {
            lock (_gate)
            {
                return CurrentOutage() is not null;
            }
        }
    }

    public WelkinCounters Counters => new(
        Interlocked.Read(ref _tokenRequests),
        Enum.GetValues<TokenRequestOutcome>().ToDictionary(o => o, o => Interlocked.Read(ref _outcomes[(int)o])),
        Interlocked.Read(ref _pingCalls),
        Interlocked.Read(ref _pingRejected),
        Volatile.Read(ref _peakInWindow),
        Interlocked.Read(ref _blocks),
        Interlocked.Read(ref _chunkedTokenRequests));

    /// <summary>Replaces the accepted credentials; tokens already issued stay valid, as JWTs do.</summary>
    public void SetCredentials(string apiClient, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiClient);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _credentials = (apiClient, secret);
    }

    /// <summary>Revokes the current secret and returns a new random one.</summary>
    public string RotateSecret()
    {
        var secret = NewSecret();
        SetCredentials(ApiClient, secret);
        return secret;
    }

    /// <summary>Every token request fails with <paramref name="statusCode"/> until <see cref="EndOutage"/> or <paramref name="duration"/> elapses.</summary>
    public void StartOutage(TimeSpan? duration = null, int statusCode = 503)
    {
        lock (_gate)
        {
            _outage = (statusCode, duration is { } d ? _time.GetUtcNow() + d : null);
        }
    }

    public void EndOutage()
    {
        lock (_gate)
        {
            _outage = null;
        }
    }

    /// <summary>
    /// Welkin blocks the API client from the next token request on, as it does after too many requests: that request and
    /// every one arriving within <paramref name="duration"/> of it are answered 429, with <c>Retry-After</c> (the rest of
    /// the block, counted from the request's arrival) or, as Welkin may, without.
    /// </summary>
    public void BlockNextRequest(TimeSpan duration, bool withRetryAfter)
    {
        lock (_gate)
        {
            _pendingBlock = (duration, withRetryAfter);
        }
    }

    /// <summary>Forgets the rate window and lifts any block.</summary>
    public void ResetRateLimit()
    {
        lock (_gate)
        {
            _window.Clear();
            _blockedUntil = null;
            _pendingBlock = null;
        }
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _pingCalls, 0);
        Interlocked.Exchange(ref _pingRejected, 0);
        Interlocked.Exchange(ref _blocks, 0);
        Interlocked.Exchange(ref _chunkedTokenRequests, 0);
        Volatile.Write(ref _peakInWindow, 0);
        for (var i = 0; i < _outcomes.Length; i++)
        {
            Interlocked.Exchange(ref _outcomes[i], 0);
        }
    }

    /// <summary>The public key that verifies issued tokens, as SubjectPublicKeyInfo PEM.</summary>
    public string ExportSigningKeyPem() => _signer.ExportPublicKeyPem();

    public void Dispose() => _signer.Dispose();

    internal static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>
    /// Decides the answer to a token request. Every request counts in the rate window (a client that keeps
    /// calling while blocked stays blocked). Precedence: outage, then a queued fault, then the block, then
    /// body validation (400), then credentials (401).
    /// </summary>
    internal Task<EmulatorResponse> HandleTokenRequestAsync(byte[] body, bool chunked, CancellationToken cancellationToken) =>
        HandleAsync(new TokenCall(body, null, null), chunked, cancellationToken);

    /// <summary>
    /// <c>POST /{tenant}/admin/api_clients/{apiClient}</c>: body <c>{"secret"}</c> only (any other field is refused, as a
    /// strict server may), answer <c>{"clientName","token","enabled"}</c> without expiry, errors as a list of
    /// <c>{"errorCode","message"}</c>. Same rate window, faults and outage as the <c>auth-token</c> API.
    /// </summary>
    internal Task<EmulatorResponse> HandleApiClientsTokenRequestAsync(string tenant, string apiClient, byte[] body, bool chunked, CancellationToken cancellationToken) =>
        HandleAsync(new TokenCall(body, tenant, apiClient), chunked, cancellationToken);

    /// <summary>The <c>enabled</c> flag of the <c>api-clients</c> answer; while false, that API answers <c>"enabled": false</c>.</summary>
    public bool ClientEnabled { get; set; } = true;

    private async Task<EmulatorResponse> HandleAsync(TokenCall call, bool chunked, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (chunked)
        {
            Interlocked.Increment(ref _chunkedTokenRequests);
        }

        var now = _time.GetUtcNow();
        (int StatusCode, DateTimeOffset? Until)? outage;
        DateTimeOffset? blockedUntil;
        var blockStarts = false;
        lock (_gate)
        {
            outage = CurrentOutage();
            blockedUntil = RecordArrival(now);
            if (outage is null && blockedUntil is null && _pendingBlock is { } pending)
            {
                (blockedUntil, _blockedUntil, _blockSendsRetryAfter, _pendingBlock, blockStarts) = (now + pending.Duration, now + pending.Duration, pending.WithRetryAfter, null, true);
            }
        }

        if (Processing is { } processing)
        {
            await processing(cancellationToken).ConfigureAwait(false);
        }

        if (outage is { } o)
        {
            return Count(TokenRequestOutcome.Outage, Error(call, o.StatusCode, "SERVICE_UNAVAILABLE", "The service is unavailable."));
        }

        if (blockStarts)
        {
            return Count(TokenRequestOutcome.Faulted, Decide(call, blockedUntil, now, now).Item2);
        }

        if (Faults.TryTake(_ => true) is { } fault)
        {
            _logger.WelkinFaultApplied(fault.Kind);
            return Count(TokenRequestOutcome.Faulted, await ApplyAsync(fault, call, blockedUntil, now, cancellationToken).ConfigureAwait(false));
        }

        var (outcome, response) = Decide(call, blockedUntil, now, _time.GetUtcNow());
        return Count(outcome, response);
    }

    internal EmulatorResponse HandlePing(string? authorization)
    {
        Interlocked.Increment(ref _pingCalls);
        string? failure = null;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            failure = "NOT_VALID_JSON_WEB_TOKEN";
        }
        else if (_signer.ReadVerified(authorization["Bearer ".Length..].Trim(), SandboxJsonContext.Default.WelkinTokenClaims) is not { } claims
            || claims.Issuer != _options.Issuer)
        {
            failure = "NOT_VALID_JSON_WEB_TOKEN";
        }
        else if (claims.ExpiresAt <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            failure = "TOKEN_EXPIRED";
        }

        if (failure is null)
        {
            return new EmulatorResponse(200, Encoding.UTF8.GetBytes("{\"status\":\"ok\"}"));
        }

        Interlocked.Increment(ref _pingRejected);
        _logger.WelkinPingRejected(failure);
        return Error(401, failure, failure == "TOKEN_EXPIRED" ? "The token has expired." : "The token is not a valid JSON Web Token.");
    }

    private (int StatusCode, DateTimeOffset? Until)? CurrentOutage()
    {
        if (_outage is { Until: { } until } && until <= _time.GetUtcNow())
        {
            _outage = null;
        }

        return _outage;
    }

    private DateTimeOffset? RecordArrival(DateTimeOffset now)
    {
        while (_window.TryPeek(out var oldest) && oldest <= now - _options.RateWindow)
        {
            _window.Dequeue();
        }

        _window.Enqueue(now);
        _peakInWindow = Math.Max(_peakInWindow, _window.Count);
        if (_blockedUntil <= now)
        {
            _blockedUntil = null;
        }

        if (_blockedUntil is null && _window.Count > _options.RateLimit)
        {
            _blockedUntil = now + _options.BlockDuration;
            _blockSendsRetryAfter = true;
            _blocks++;
            _logger.WelkinClientBlocked(_blockedUntil.Value);
        }

        return _blockedUntil;
    }

    /// <param name="arrival">When the request arrived: a block's Retry-After counts from it.</param>
    /// <param name="now">When the answer is made: a token is minted at this time.</param>
    private (TokenRequestOutcome, EmulatorResponse) Decide(TokenCall call, DateTimeOffset? blockedUntil, DateTimeOffset arrival, DateTimeOffset now)
    {
        if (blockedUntil is { } until)
        {
            bool withRetryAfter;
            lock (_gate)
            {
                withRetryAfter = _blockSendsRetryAfter;
            }

            return (TokenRequestOutcome.RateLimited,
                Error(call, 429, "TOO_MANY_REQUESTS", "Too many token requests; the API client is blocked.") with { RetryAfter = withRetryAfter ? until - arrival : null });
        }

        if (call.IsApiClients)
        {
            return DecideApiClients(call, now);
        }

        WelkinTokenRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(call.Body, SandboxJsonContext.Default.WelkinTokenRequest);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is not { Secret.Length: > 0, ApiClient.Length: > 0 })
        {
            return (TokenRequestOutcome.BadRequest, Error(400, "BAD_REQUEST", "The body must be JSON with 'secret' and 'apiClient'."));
        }

        var expected = _credentials;
        if (!FixedTimeEquals(request.ApiClient, expected.ApiClient) | !FixedTimeEquals(request.Secret, expected.Secret))
        {
            _logger.WelkinCredentialsRejected();
            return (TokenRequestOutcome.InvalidCredentials, Error(401, "UNAUTHORIZED", "Invalid API client or secret."));
        }

        var (token, expiresAt) = CreateToken(request.ApiClient, now, _options.TokenLifetime);
        _logger.WelkinTokenIssued(request.ApiClient, expiresAt);
        return (TokenRequestOutcome.Issued, TokenAnswer(token, FormatIso(expiresAt)));
    }

    private (TokenRequestOutcome, EmulatorResponse) DecideApiClients(TokenCall call, DateTimeOffset now)
    {
        WelkinApiClientsTokenRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(call.Body, SandboxJsonContext.Default.WelkinApiClientsTokenRequest);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is not { Secret.Length: > 0 })
        {
            return (TokenRequestOutcome.BadRequest, Error(call, 400, "BAD_REQUEST", "The body must be JSON with 'secret' only."));
        }

        var expected = _credentials;
        if (!string.Equals(call.Tenant, _options.Tenant, StringComparison.Ordinal)
            | !FixedTimeEquals(call.PathApiClient!, expected.ApiClient) | !FixedTimeEquals(request.Secret, expected.Secret))
        {
            _logger.WelkinCredentialsRejected();
            return (TokenRequestOutcome.InvalidCredentials, Error(call, 401, "NOT_VALID_JSON_WEB_TOKEN", "Invalid tenant, API client or secret."));
        }

        var (token, expiresAt) = CreateToken(expected.ApiClient, now, _options.TokenLifetime);
        _logger.WelkinTokenIssued(expected.ApiClient, expiresAt);
        var answer = new WelkinApiClientsTokenResponse(expected.ApiClient, token, ClientEnabled);
        return (TokenRequestOutcome.Issued, new EmulatorResponse(200, JsonSerializer.SerializeToUtf8Bytes(answer, SandboxJsonContext.Default.WelkinApiClientsTokenResponse)));
    }

    private async Task<EmulatorResponse> ApplyAsync(WelkinFault fault, TokenCall call, DateTimeOffset? blockedUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var apiClient = ApiClient;
        switch (fault.Kind)
        {
            case WelkinFaultKind.Status:
                return Error(call, fault.StatusCode, $"HTTP_{fault.StatusCode}", "Injected failure.") with { RetryAfter = fault.RetryAfter };
            case WelkinFaultKind.ConnectionReset:
                return EmulatorResponse.Abort;
            case WelkinFaultKind.SlowHeaders:
                await Task.Delay(fault.Delay, _time, cancellationToken).ConfigureAwait(false);
                return Decide(call, blockedUntil, now, _time.GetUtcNow()).Item2;
            case WelkinFaultKind.SlowBody:
                return Decide(call, blockedUntil, now, now).Item2 with { DripChunks = DripChunks, DripInterval = fault.Delay / DripChunks };
            case WelkinFaultKind.NotJson:
                return new EmulatorResponse(200, "token=abc; expires soon"u8.ToArray(), "text/plain");
            case WelkinFaultKind.Html:
                return new EmulatorResponse(200, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"u8.ToArray(), "text/html");
            case WelkinFaultKind.EmptyBody:
                return new EmulatorResponse(200, [], "application/json");
            case WelkinFaultKind.JsonWithoutToken:
                return TokenAnswer(null, FormatIso(now + _options.TokenLifetime));
            case WelkinFaultKind.EmptyToken:
                return TokenAnswer(string.Empty, FormatIso(now + _options.TokenLifetime));
            case WelkinFaultKind.MissingExpiresAt:
                return TokenAnswer(CreateToken(apiClient, now, _options.TokenLifetime).Token, null);
            case WelkinFaultKind.UnparseableExpiresAt:
                return TokenAnswer(CreateToken(apiClient, now, _options.TokenLifetime).Token, "next tuesday");
            case WelkinFaultKind.ExpiryInPast:
            {
                var (token, expiresAt) = CreateToken(apiClient, now - _options.TokenLifetime - TimeSpan.FromHours(1), _options.TokenLifetime);
                return TokenAnswer(token, FormatIso(expiresAt));
            }

            case WelkinFaultKind.ExpiryWithinMinute:
            {
                var (token, expiresAt) = CreateToken(apiClient, now, TimeSpan.FromSeconds(30));
                return TokenAnswer(token, FormatIso(expiresAt));
            }

            case WelkinFaultKind.HugeBody:
                return TokenAnswer(new string('A', HugeBodyBytes), FormatIso(now + _options.TokenLifetime));
            case WelkinFaultKind.OversizedToken:
                return TokenAnswer(new string('A', OversizedTokenLength), FormatIso(now + _options.TokenLifetime));
            default:
                throw new InvalidOperationException($"Unknown fault kind {fault.Kind}.");
        }
    }

    private (string Token, DateTimeOffset ExpiresAt) CreateToken(string apiClient, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var iat = issuedAt.ToUnixTimeSeconds();
        var exp = iat + (long)lifetime.TotalSeconds;
        var claims = new WelkinTokenClaims(_options.Issuer, apiClient, iat, exp, Guid.NewGuid().ToString(), "id");
        return (_signer.Sign(claims, SandboxJsonContext.Default.WelkinTokenClaims), DateTimeOffset.FromUnixTimeSeconds(exp));
    }

    private EmulatorResponse Count(TokenRequestOutcome outcome, EmulatorResponse response)
    {
        Interlocked.Increment(ref _outcomes[(int)outcome]);
        return response;
    }

    private static EmulatorResponse TokenAnswer(string? token, string? expiresAt) =>
        new(200, JsonSerializer.SerializeToUtf8Bytes(new WelkinTokenResponse(token, expiresAt), SandboxJsonContext.Default.WelkinTokenResponse));

    private static EmulatorResponse Error(int statusCode, string errorCode, string message) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(new WelkinErrorBody(errorCode, message), SandboxJsonContext.Default.WelkinErrorBody));

    /// <summary>An error in the called API's shape: a list of error objects for <c>api-clients</c>, one object otherwise.</summary>
    private static EmulatorResponse Error(TokenCall call, int statusCode, string errorCode, string message) =>
        call.IsApiClients
            ? new(statusCode, JsonSerializer.SerializeToUtf8Bytes([new WelkinErrorBody(errorCode, message)], SandboxJsonContext.Default.WelkinErrorBodyArray))
            : Error(statusCode, errorCode, message);

    private static string FormatIso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool FixedTimeEquals(string actual, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(actual), Encoding.UTF8.GetBytes(expected));

    /// <summary>One token request: its body, and for the <c>api-clients</c> API the tenant and API client of its URL.</summary>
    private sealed record TokenCall(byte[] Body, string? Tenant, string? PathApiClient)
    {
        public bool IsApiClients => PathApiClient is not null;
    }
}
