using System.Globalization;
using System.Net;
using System.Text.Json;
using WelkinTokenRefresher.Sandbox.Welkin;
using WelkinTokenRefresher.TestSupport.Time;

namespace WelkinTokenRefresher.Sandbox.Tests;

public sealed class WelkinEmulatorTests : IAsyncLifetime, IDisposable
{
    private readonly SteppingClock _time = new(new DateTimeOffset(2026, 3, 19, 13, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private WelkinSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = _time });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Valid_credentials_get_an_RS256_JWT_living_one_hour_with_a_matching_expiresAt()
    {
        using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = WelkinClient.VerifiedClaims(_sandbox, body.GetProperty("token").GetString()!);
        var iat = claims.GetProperty("iat").GetInt64();
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - iat);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), iat);
        Assert.Equal(_sandbox.ApiClient, claims.GetProperty("sub").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        Assert.Equal("2026-03-19T14:00:00Z", body.GetProperty("expiresAt").GetString());
        Assert.Equal(1, _sandbox.Welkin.Counters.TokensIssued);
    }

    [Fact]
    public async Task Token_lifetime_and_token_path_are_configurable()
    {
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TokenLifetime = TimeSpan.FromMinutes(10), TokenPath = "/tenant/admin/api_clients/token" });

        var claims = WelkinClient.VerifiedClaims(sandbox, await WelkinClient.TokenAsync(_http, sandbox));

        Assert.Equal(600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        using var oldPath = await _http.PostAsync(new Uri(sandbox.WelkinBaseUrl, "/auth/token"), null);
        Assert.Equal(HttpStatusCode.NotFound, oldPath.StatusCode);
    }

    [Theory]
    [InlineData("wrong-client", null)]
    [InlineData(null, "wrong-secret")]
    public async Task Wrong_credentials_are_401(string? apiClient, string? secret)
    {
        using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox, apiClient, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.InvalidCredentials]);
        Assert.Equal(0, _sandbox.Welkin.Counters.TokensIssued);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"apiClient\":\"x\"}")]
    [InlineData("{\"secret\":\"x\"}")]
    [InlineData("{\"secret\":\"\",\"apiClient\":\"x\"}")]
    public async Task Malformed_bodies_are_400(string body)
    {
        using var response = await WelkinClient.SendRawAsync(_http, _sandbox, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.BadRequest]);
    }

    [Fact]
    public async Task Rotating_the_secret_revokes_the_old_one_but_not_issued_tokens()
    {
        var token = await WelkinClient.TokenAsync(_http, _sandbox);
        var oldSecret = _sandbox.Secret;

        var newSecret = _sandbox.Welkin.RotateSecret();

        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(newSecret, _sandbox.EnvironmentSettings["Welkin__Secret"]);
        using var rejected = await WelkinClient.RequestTokenAsync(_http, _sandbox, secret: oldSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(200, await WelkinClient.PingAsync(_http, _sandbox, token));
        await WelkinClient.TokenAsync(_http, _sandbox);
    }

    [Fact]
    public async Task The_101st_request_in_five_minutes_is_429_and_blocks_for_five_minutes()
    {
        for (var i = 0; i < 100; i++)
        {
            using var ok = await WelkinClient.RequestTokenAsync(_http, _sandbox);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        using var blocked = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), blocked.Headers.RetryAfter!.Delta);
        Assert.Equal(_time.GetUtcNow().AddMinutes(5), _sandbox.Welkin.BlockedUntil);

        // Still blocked near the end, even with correct credentials; Retry-After counts down.
        _time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(50));
        using var stillBlocked = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillBlocked.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), stillBlocked.Headers.RetryAfter!.Delta);

        _time.Advance(TimeSpan.FromSeconds(10));
        using var free = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        var counters = _sandbox.Welkin.Counters;
        Assert.Equal((1, 2, 101), (counters.Blocks, counters.ByOutcome[TokenRequestOutcome.RateLimited], counters.PeakTokenRequestsInWindow));
    }

    /// <summary>An assumption (docs/reliability.md): requests Welkin refuses during a block still count in its window.</summary>
    [Fact]
    public async Task Requests_refused_during_a_block_count_in_the_window_after_it()
    {
        for (var i = 0; i < 101; i++)
        {
            using var _ = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        }

        _time.Advance(TimeSpan.FromMinutes(4));
        for (var i = 0; i < 50; i++)
        {
            using var refused = await WelkinClient.RequestTokenAsync(_http, _sandbox);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // The first 101 have left the window; the 50 refused ones have not, so only 50 more fit before the next block.
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        for (var i = 0; i < 50; i++)
        {
            using var ok = await WelkinClient.RequestTokenAsync(_http, _sandbox);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var blockedAgain = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        Assert.Equal(HttpStatusCode.TooManyRequests, blockedAgain.StatusCode);
        Assert.Equal(2, _sandbox.Welkin.Counters.Blocks);
    }

    /// <summary>An assumption (docs/reliability.md): the token endpoint reads the body as JSON whatever its Content-Type says.</summary>
    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task The_content_type_of_a_token_request_is_not_checked(string? contentType)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["secret"] = _sandbox.Secret, ["apiClient"] = _sandbox.ApiClient });
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

        using var response = await _http.PostAsync(new Uri(_sandbox.WelkinBaseUrl, _sandbox.TokenPath), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task One_hundred_requests_spread_over_more_than_five_minutes_never_block()
    {
        for (var i = 0; i < 150; i++)
        {
            using var ok = await WelkinClient.RequestTokenAsync(_http, _sandbox);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            _time.Advance(TimeSpan.FromSeconds(3.1));
        }

        Assert.Equal(0, _sandbox.Welkin.Counters.Blocks);
        Assert.Null(_sandbox.Welkin.BlockedUntil);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Status_faults_answer_the_next_requests_then_normal_service_resumes(int status)
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(status), times: 2);

        using var first = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        using var second = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        using var third = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        Assert.Equal((status, status, 200), ((int)first.StatusCode, (int)second.StatusCode, (int)third.StatusCode));
        Assert.Null(first.Headers.RetryAfter);
        Assert.Equal(2, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.Faulted]);
    }

    [Fact]
    public async Task A_429_fault_can_carry_Retry_After()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429, TimeSpan.FromSeconds(42)));

        using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), response.Headers.RetryAfter!.Delta);
    }

    [Theory]
    [InlineData(WelkinFaultKind.NotJson, "text/plain")]
    [InlineData(WelkinFaultKind.Html, "text/html")]
    public async Task Non_JSON_bodies_come_with_their_content_type(WelkinFaultKind kind, string contentType)
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(kind));

        using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Empty_body_fault_answers_200_with_nothing()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(WelkinFaultKind.EmptyBody));

        using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Json_body_faults_have_the_promised_shape()
    {
        var now = _time.GetUtcNow();
        var bodies = new Dictionary<WelkinFaultKind, JsonElement>();
        foreach (var kind in new[] { WelkinFaultKind.JsonWithoutToken, WelkinFaultKind.EmptyToken, WelkinFaultKind.MissingExpiresAt, WelkinFaultKind.UnparseableExpiresAt, WelkinFaultKind.ExpiryInPast, WelkinFaultKind.ExpiryWithinMinute })
        {
            _sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(kind));
            using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            bodies[kind] = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        Assert.False(bodies[WelkinFaultKind.JsonWithoutToken].TryGetProperty("token", out _));
        Assert.True(bodies[WelkinFaultKind.JsonWithoutToken].TryGetProperty("expiresAt", out _));
        Assert.Equal(string.Empty, bodies[WelkinFaultKind.EmptyToken].GetProperty("token").GetString());
        Assert.False(bodies[WelkinFaultKind.MissingExpiresAt].TryGetProperty("expiresAt", out _));
        var fallback = WelkinClient.VerifiedClaims(_sandbox, bodies[WelkinFaultKind.MissingExpiresAt].GetProperty("token").GetString()!);
        Assert.Equal(now.AddHours(1).ToUnixTimeSeconds(), fallback.GetProperty("exp").GetInt64());
        Assert.False(DateTimeOffset.TryParse(bodies[WelkinFaultKind.UnparseableExpiresAt].GetProperty("expiresAt").GetString(), CultureInfo.InvariantCulture, out _));
        Assert.True(ExpiresAt(bodies[WelkinFaultKind.ExpiryInPast]) < now);
        Assert.Equal(now.AddSeconds(30), ExpiresAt(bodies[WelkinFaultKind.ExpiryWithinMinute]));
        Assert.Equal(0, _sandbox.Welkin.Counters.TokensIssued);
        Assert.Equal(6, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.Faulted]);

        static DateTimeOffset ExpiresAt(JsonElement body) =>
            DateTimeOffset.Parse(body.GetProperty("expiresAt").GetString()!, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Oversized_token_fault_sends_a_30000_character_token_in_a_body_under_64_KiB()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(WelkinFaultKind.OversizedToken));

        using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30_000, JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!.Length);
        Assert.InRange(body.Length, 30_000, 64 * 1024 - 1);
    }

    [Fact]
    public async Task Huge_body_fault_sends_two_megabytes()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(WelkinFaultKind.HugeBody));

        using var response = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        Assert.True(response.Content.Headers.ContentLength >= 2 * 1024 * 1024);
    }

    [Fact]
    public async Task Connection_reset_fails_the_request()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.ConnectionReset());

        await Assert.ThrowsAsync<HttpRequestException>(() => WelkinClient.RequestTokenAsync(_http, _sandbox));
        using var next = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Slow_headers_wait_on_the_emulator_clock()
    {
        var start = _time.GetUtcNow();
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromSeconds(30)));

        var pending = WelkinClient.RequestTokenAsync(_http, _sandbox);
        // The emulator arms its delay on the clock when the request arrives; until the clock reaches it, no answer.
        var due = await _time.NextTimerAsync();
        Assert.Equal(start + TimeSpan.FromSeconds(30), due);
        _time.SetUtcNow(due - TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted);
        _time.SetUtcNow(due);
        using var response = await pending.WithinAsync(TimeSpan.FromSeconds(30), "The answer once the delay was over");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(FormatIso(due + TimeSpan.FromHours(1)), body.GetProperty("expiresAt").GetString());
    }

    [Fact]
    public async Task Slow_headers_outlast_a_client_timeout()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromMinutes(5)));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => WelkinClient.RequestTokenAsync(impatient, _sandbox));
    }

    [Fact]
    public async Task Slow_body_sends_headers_at_once_and_drips_the_body()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowBody(TimeSpan.FromSeconds(50)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_sandbox.WelkinBaseUrl, _sandbox.TokenPath))
        {
            Content = JsonContent(_sandbox.ApiClient, _sandbox.Secret),
        };

        var start = _time.GetUtcNow();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Ten chunks, the nine gaps between them on the emulator's clock: the body is complete only once the clock has
        // moved through each gap as the emulator armed it.
        var body = await _time.RunAsync(response.Content.ReadAsStringAsync());

        Assert.Equal(Enumerable.Range(1, 9).Select(gap => start + TimeSpan.FromSeconds(5 * gap)), _time.Armed.Select(timer => timer.Due));
        Assert.Equal(start + TimeSpan.FromSeconds(45), _time.GetUtcNow());
        Assert.True(JsonDocument.Parse(body).RootElement.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Outage_fails_every_request_until_cleared_or_over()
    {
        _sandbox.Welkin.StartOutage();
        using var first = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        using var second = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        _sandbox.Welkin.EndOutage();
        using var third = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        _sandbox.Welkin.StartOutage(TimeSpan.FromMinutes(2), statusCode: 502);
        using var during = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        _time.Advance(TimeSpan.FromMinutes(2));
        using var after = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        Assert.Equal((503, 503, 200, 502, 200), ((int)first.StatusCode, (int)second.StatusCode, (int)third.StatusCode, (int)during.StatusCode, (int)after.StatusCode));
        Assert.Equal(3, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.Outage]);
    }

    [Fact]
    public async Task Ping_accepts_a_valid_token_and_rejects_missing_forged_and_expired_ones()
    {
        var token = await WelkinClient.TokenAsync(_http, _sandbox);
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + parts[2][..^4] + (parts[2].EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        Assert.Equal(200, await WelkinClient.PingAsync(_http, _sandbox, token));
        Assert.Equal(401, await WelkinClient.PingAsync(_http, _sandbox, null));
        Assert.Equal(401, await WelkinClient.PingAsync(_http, _sandbox, forged));
        Assert.Equal(401, await WelkinClient.PingAsync(_http, _sandbox, "garbage"));
        _time.Advance(TimeSpan.FromHours(1));
        using var expired = new HttpRequestMessage(HttpMethod.Get, _sandbox.PingUrl) { Headers = { Authorization = new("Bearer", token) } };
        using var expiredAnswer = await _http.SendAsync(expired);

        Assert.Equal(HttpStatusCode.Unauthorized, expiredAnswer.StatusCode);
        Assert.Equal("TOKEN_EXPIRED", JsonDocument.Parse(await expiredAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("errorCode").GetString());
        var counters = _sandbox.Welkin.Counters;
        Assert.Equal((5, 1, 4), (counters.PingCalls, counters.PingAccepted, counters.PingRejected));
    }

    [Fact]
    public async Task Forged_token_errorCode_is_NOT_VALID_JSON_WEB_TOKEN()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _sandbox.PingUrl) { Headers = { Authorization = new("Bearer", "a.b.c") } };

        using var response = await _http.SendAsync(request);

        Assert.Equal("NOT_VALID_JSON_WEB_TOKEN", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Token_requests_sent_chunked_are_counted_apart_from_those_with_a_content_length()
    {
        // PostAsJsonAsync streams its JSON (chunked); StringContent knows its length.
        using var chunked = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        using var withLength = await _http.PostAsync(new Uri(_sandbox.WelkinBaseUrl, _sandbox.TokenPath), JsonContent(_sandbox.ApiClient, _sandbox.Secret));

        Assert.Equal(HttpStatusCode.OK, chunked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withLength.StatusCode);
        Assert.Equal((2L, 1L), (_sandbox.Welkin.Counters.TokenRequests, _sandbox.Welkin.Counters.ChunkedTokenRequests));
    }

    [Fact]
    public async Task Counters_reset()
    {
        await WelkinClient.TokenAsync(_http, _sandbox);

        _sandbox.Welkin.ResetCounters();

        Assert.Equal(0, _sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(0, _sandbox.Welkin.Counters.ChunkedTokenRequests);
        Assert.All(_sandbox.Welkin.Counters.ByOutcome.Values, count => Assert.Equal(0, count));
    }

    private static string FormatIso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static StringContent JsonContent(string apiClient, string secret) =>
        new(JsonSerializer.Serialize(new Dictionary<string, string> { ["secret"] = secret, ["apiClient"] = apiClient }), System.Text.Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_block_refuses_every_request_until_it_has_passed_counted_from_the_arrival_of_the_first(bool withRetryAfter)
    {
        _sandbox.Welkin.BlockNextRequest(TimeSpan.FromMinutes(10), withRetryAfter);

        using var first = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        _time.Advance(TimeSpan.FromMinutes(4));
        using var during = await WelkinClient.RequestTokenAsync(_http, _sandbox);
        _time.Advance(TimeSpan.FromMinutes(6));
        using var after = await WelkinClient.RequestTokenAsync(_http, _sandbox);

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (first.StatusCode, during.StatusCode, after.StatusCode));
        Assert.Equal(withRetryAfter ? TimeSpan.FromMinutes(10) : null, first.Headers.RetryAfter?.Delta);
        Assert.Equal(withRetryAfter ? TimeSpan.FromMinutes(6) : null, during.Headers.RetryAfter?.Delta);
        // The first 429 is the injected fault; the one after it is a request sent into the block.
        Assert.Equal(1, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.Faulted]);
        Assert.Equal(1, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.RateLimited]);
        Assert.Equal(0, _sandbox.Welkin.Counters.Blocks);
    }

    [Fact]
    public async Task Processing_time_delays_the_answer_and_the_token_is_minted_when_it_ends()
    {
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sandbox.Welkin.Processing = cancellationToken =>
        {
            var wait = Task.Delay(TimeSpan.FromSeconds(3), _time, cancellationToken);
            armed.SetResult();
            return wait;
        };

        var request = WelkinClient.RequestTokenAsync(_http, _sandbox);
        await armed.Task.WaitAsync(TimeSpan.FromSeconds(20), TimeProvider.System);
        Assert.False(request.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(3));
        using var response = await request;

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("2026-03-19T14:00:03Z", body.GetProperty("expiresAt").GetString());
    }
}
