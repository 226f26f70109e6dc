using System.Text.Json;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>What the client sends, and how it reads a good answer, through the registered typed client and pipeline.</summary>
[Collection(LocalTimeZone.Collection)]
public sealed class WelkinTokenRequestTests : IDisposable
{
    private readonly RefresherHarness _harness = new(s => s["Welkin:BaseUrl"] = "https://welkin.example");

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Posts_the_credentials_as_json_to_base_url_and_token_path()
    {
        _harness.WelkinIssues("opaque-token");

        await _harness.Client.RequestTokenAsync(CancellationToken.None);

        var sent = Assert.Single(_harness.Welkin.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(new Uri("https://welkin.example/auth/token"), sent.Uri);
        Assert.Equal("application/json", sent.ContentType);
        using var body = JsonDocument.Parse(sent.Body);
        var properties = body.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal([("apiClient", TestSettings.ApiClient), ("secret", TestSettings.Secret)], properties);
    }

    [Fact]
    public async Task Request_body_carries_its_content_length_rather_than_going_chunked()
    {
        _harness.WelkinIssues("opaque-token");

        await _harness.Client.RequestTokenAsync(CancellationToken.None);

        var sent = Assert.Single(_harness.Welkin.Requests);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(sent.Body), sent.ContentLength);
    }

    [Fact]
    public async Task Token_path_is_configuration()
    {
        using var harness = new RefresherHarness(s =>
        {
            s["Welkin:BaseUrl"] = "https://api.live.welkincloud.io";
            s["Welkin:TokenPath"] = "/tenant/admin/api_clients/client";
        });
        harness.WelkinIssues("opaque-token");

        await harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(new Uri("https://api.live.welkincloud.io/tenant/admin/api_clients/client"), Assert.Single(harness.Welkin.Requests).Uri);
    }

    [Theory]
    [InlineData("https://welkin.example/tenant-a", "/auth/token", "https://welkin.example/tenant-a/auth/token")]
    [InlineData("https://welkin.example/tenant-a/", "/auth/token", "https://welkin.example/tenant-a/auth/token")]
    [InlineData("https://welkin.example/", "/auth/token", "https://welkin.example/auth/token")]
    [InlineData("http://127.0.0.1:5080", "/auth/token", "http://127.0.0.1:5080/auth/token")]
    public async Task Token_path_is_appended_to_the_base_url_keeping_its_path(string baseUrl, string tokenPath, string expected)
    {
        using var harness = new RefresherHarness(s =>
        {
            s["Welkin:BaseUrl"] = baseUrl;
            s["Welkin:TokenPath"] = tokenPath;
        });
        harness.WelkinIssues("opaque-token");

        await harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(new Uri(expected), Assert.Single(harness.Welkin.Requests).Uri);
    }

    [Fact]
    public async Task Reads_token_and_expiresAt_and_stamps_when_it_was_received()
    {
        var now = _harness.Time.GetUtcNow();
        var expiresAt = now.AddMinutes(59).AddSeconds(30);
        _harness.Welkin.Respond = _ => WelkinAnswers.Token("the-token", expiresAt);

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal("the-token", token.Value);
        Assert.Equal(now, token.IssuedAt);
        Assert.Equal(expiresAt, token.ExpiresAt);
        Assert.Equal(ExpirySource.ExpiresAtField, token.ExpirySource);
        Assert.Equal(1, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task ExpiresAt_with_an_offset_is_read_as_that_instant()
    {
        var expected = _harness.Time.GetUtcNow().AddHours(1);
        var withOffset = expected.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"t","expiresAt":"{{withOffset}}"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(expected, token.ExpiresAt);
    }

    [Theory]
    [InlineData("2026-03-02T10:00:00")]
    [InlineData("2026-03-02T10:00:00.000")]
    [InlineData("2026-03-02 10:00:00")]
    public async Task ExpiresAt_without_an_offset_is_utc_whatever_the_local_time_zone(string expiresAt)
    {
        // Read as local time, this would be 10:00 in Kolkata: 04:30 UTC, long expired.
        using var zone = LocalTimeZone.Set("Asia/Kolkata");
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"t","expiresAt":"{{expiresAt}}"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), token.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, token.ExpiresAt.Offset);
    }

    [Fact]
    public async Task Missing_expiresAt_falls_back_to_the_jwt_exp_claim()
    {
        var exp = _harness.Time.GetUtcNow().AddMinutes(58);
        var jwt = Jwt.WithExp(exp);
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{jwt}}"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(jwt, token.Value);
        Assert.Equal(exp, token.ExpiresAt);
        Assert.Equal(ExpirySource.JwtExpClaim, token.ExpirySource);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1005);
    }

    [Fact]
    public async Task Fractional_exp_claim_is_the_expiry_not_the_assumed_hour()
    {
        var exp = _harness.Time.GetUtcNow().AddMinutes(58);
        var jwt = Jwt.WithPayload($$"""{"sub":"api-client","exp":{{exp.ToUnixTimeSeconds()}}.25}""");
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{jwt}}"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(exp, token.ExpiresAt);
        Assert.Equal(ExpirySource.JwtExpClaim, token.ExpirySource);
    }

    [Fact]
    public async Task Missing_expiresAt_and_exp_assumes_one_hour_and_warns()
    {
        var now = _harness.Time.GetUtcNow();
        _harness.Welkin.Respond = _ => WelkinAnswers.Json("""{"token":"opaque-token-without-claims","expiresAt":null}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(now.AddHours(1), token.ExpiresAt);
        Assert.Equal(ExpirySource.DocumentedLifetime, token.ExpirySource);
        var warning = Assert.Single(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1006);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task Jwt_without_exp_claim_assumes_one_hour()
    {
        var now = _harness.Time.GetUtcNow();
        var jwt = Jwt.WithPayload("""{"sub":"api-client"}""");
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{jwt}}"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(now.AddHours(1), token.ExpiresAt);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1006);
    }

    [Fact]
    public async Task Unparseable_expiresAt_falls_back_to_the_exp_claim()
    {
        var exp = _harness.Time.GetUtcNow().AddMinutes(57);
        var jwt = Jwt.WithExp(exp);
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{jwt}}","expiresAt":"next tuesday"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(exp, token.ExpiresAt);
        Assert.Equal(ExpirySource.JwtExpClaim, token.ExpirySource);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1007);
    }

    [Fact]
    public async Task Unparseable_expiresAt_without_exp_claim_is_an_invalid_response()
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Json("""{"token":"opaque","expiresAt":"next tuesday"}""");

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.InvalidResponse, e.Kind);
        Assert.Equal(1, _harness.Welkin.Attempts);
    }
}
