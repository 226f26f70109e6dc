using System.Net;
using System.Text;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>A 200 whose body cannot be used is an invalid response, tried once and never stored.</summary>
public sealed class WelkinMalformedResponseTests : IDisposable
{
    private readonly RefresherHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private string In(TimeSpan delta) =>
        (_harness.Time.GetUtcNow() + delta).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private async Task AssertInvalidAsync(Func<HttpResponseMessage> answer)
    {
        _harness.Welkin.Respond = _ => answer();

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.InvalidResponse, e.Kind);
        Assert.Equal(1, _harness.Welkin.Attempts);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("<html><body><h1>Maintenance</h1></body></html>")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"token\"")]
    [InlineData("{\"token\":")]
    [InlineData("{\"expiresAt\":\"2030-01-01T00:00:00Z\"}")]
    [InlineData("{\"token\":\"\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}")]
    [InlineData("{\"token\":\"   \",\"expiresAt\":\"2030-01-01T00:00:00Z\"}")]
    [InlineData("{\"token\":42,\"expiresAt\":\"2030-01-01T00:00:00Z\"}")]
    public async Task Unusable_body_is_invalid(string body)
    {
        await AssertInvalidAsync(() => WelkinAnswers.Json(body));
    }

    [Fact]
    public async Task Html_answer_with_html_content_type_is_invalid()
    {
        await AssertInvalidAsync(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<!DOCTYPE html><html><head><title>Welkin</title></head></html>", Encoding.UTF8, "text/html"),
        });
    }

    [Fact]
    public async Task Empty_body_without_content_is_invalid()
    {
        await AssertInvalidAsync(() => new HttpResponseMessage(HttpStatusCode.OK));
    }

    [Theory]
    [InlineData("abc def")]
    [InlineData("abc\\tdef")]
    [InlineData("abc\\ndef")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("abc\\u0000def")]
    public async Task Token_with_white_space_or_control_characters_is_invalid(string jsonToken)
    {
        await AssertInvalidAsync(() => WelkinAnswers.Json($$"""{"token":"{{jsonToken}}","expiresAt":"{{In(TimeSpan.FromHours(1))}}"}"""));
    }

    [Fact]
    public async Task Expiry_in_the_past_is_invalid()
    {
        await AssertInvalidAsync(() => WelkinAnswers.Json($$"""{"token":"t","expiresAt":"{{In(TimeSpan.FromMinutes(-5))}}"}"""));
    }

    [Fact]
    public async Task Expiry_within_a_minute_is_invalid()
    {
        await AssertInvalidAsync(() => WelkinAnswers.Json($$"""{"token":"t","expiresAt":"{{In(TimeSpan.FromSeconds(59))}}"}"""));
    }

    [Fact]
    public async Task Expiry_from_exp_claim_in_the_past_is_invalid()
    {
        var jwt = Jwt.WithExp(_harness.Time.GetUtcNow().AddMinutes(-1));
        await AssertInvalidAsync(() => WelkinAnswers.Json($$"""{"token":"{{jwt}}"}"""));
    }

    [Fact]
    public async Task Expiry_just_over_a_minute_away_is_accepted()
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"t","expiresAt":"{{In(TimeSpan.FromSeconds(61))}}"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal("t", token.Value);
    }

    private static byte[] OversizedValidAnswer(DateTimeOffset expiresAt)
    {
        // Valid in every way except its size, so only the size limit can refuse it.
        var token = new string('a', WelkinAnswerHandler.MaxBodyBytes);
        return Encoding.UTF8.GetBytes($$"""{"token":"{{token}}","expiresAt":"{{expiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""");
    }

    [Fact]
    public async Task A_token_longer_than_Key_Vault_stores_is_invalid_and_nothing_is_written()
    {
        var token = new string('t', WelkinTokenClient.MaxStorableTokenLength + 1);
        _harness.Welkin.Respond = _ => WelkinAnswers.Token(token, _harness.Time.GetUtcNow().AddHours(1));
        _harness.Vault.Seed("good-token", _harness.Time.GetUtcNow().AddMinutes(-55), _harness.Time.GetUtcNow().AddMinutes(5));
        _harness.Vault.ResetCounters();

        var outcome = await _harness.Refresher.RefreshAsync(Core.Refresh.RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((Core.Refresh.RefreshStatus.WelkinFailed, "invalid-response"), (outcome.Status, outcome.FailureCategory));
        Assert.Equal("Welkin's token is 25601 characters long, more than the 25600 Key Vault stores in a secret: it is not stored.", outcome.Message);
        Assert.Equal(1, _harness.Welkin.Attempts);
        // Refused before the write: the vault was never asked to store it.
        Assert.Empty(_harness.Vault.Sent);
        Assert.Equal("good-token", _harness.Vault.Latest!.Value);
        Assert.DoesNotContain(_harness.Logs.GetSnapshot(), r => r.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_of_exactly_the_length_Key_Vault_stores_is_stored()
    {
        var token = new string('t', WelkinTokenClient.MaxStorableTokenLength);
        _harness.Welkin.Respond = _ => WelkinAnswers.Token(token, _harness.Time.GetUtcNow().AddHours(1));

        var outcome = await _harness.Refresher.RefreshAsync(Core.Refresh.RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(Core.Refresh.RefreshStatus.Succeeded, outcome.Status);
        Assert.Equal(token, _harness.Vault.Latest!.Value);
    }

    [Fact]
    public async Task Body_over_64_KiB_with_content_length_is_invalid()
    {
        var body = OversizedValidAnswer(_harness.Time.GetUtcNow().AddHours(1));
        await AssertInvalidAsync(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            Assert.NotNull(content.Headers.ContentLength);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
    }

    [Fact]
    public async Task Body_over_64_KiB_without_content_length_is_invalid()
    {
        var body = OversizedValidAnswer(_harness.Time.GetUtcNow().AddHours(1));
        await AssertInvalidAsync(() =>
        {
            var content = new UnknownLengthContent(body);
            Assert.Null(content.Headers.ContentLength);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
    }

    [Fact]
    public async Task Body_just_under_64_KiB_is_read()
    {
        // The longest token the vault can store, and a field Welkin might add filling the body up to the reader's limit.
        var expiresAt = _harness.Time.GetUtcNow().AddHours(1);
        var token = new string('a', WelkinTokenClient.MaxStorableTokenLength);
        string Body(string padding) => $$"""{"token":"{{token}}","expiresAt":"{{expiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}","padding":"{{padding}}"}""";
        var body = Body(new string('p', WelkinAnswerHandler.MaxBodyBytes - Encoding.UTF8.GetByteCount(Body(""))));
        Assert.Equal(WelkinAnswerHandler.MaxBodyBytes, Encoding.UTF8.GetByteCount(body));
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new UnknownLengthContent(Encoding.UTF8.GetBytes(body)) };

        var issued = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(token, issued.Value);
    }
}
