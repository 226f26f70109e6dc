using System.Net;
using System.Net.Http.Headers;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.TestSupport.Time;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>The exact message of each Welkin failure: what happened, and what to check.</summary>
public sealed class WelkinFailureMessageTests : IDisposable
{
    private readonly RefresherHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task<string> MessageAsync(Func<HttpResponseMessage> answer)
    {
        _harness.Welkin.Respond = _ => answer();
        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));
        return e.Message;
    }

    private string In(TimeSpan delta) =>
        (_harness.Time.GetUtcNow() + delta).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Unavailable_names_the_status_and_its_reason_phrase()
    {
        Assert.Equal("Welkin is unavailable (503 Service Unavailable), retries included.",
            await MessageAsync(() => WelkinAnswers.Status(HttpStatusCode.ServiceUnavailable)));
    }

    [Fact]
    public async Task Status_without_a_reason_phrase_is_named_by_its_number_alone()
    {
        Assert.Equal("Welkin is unavailable (599), retries included.",
            await MessageAsync(() => new HttpResponseMessage((HttpStatusCode)599) { ReasonPhrase = "" }));
    }

    [Fact]
    public async Task Rate_limited_says_no_request_is_sent_until_the_block_passes()
    {
        Assert.Equal("Welkin is rate limiting this API client (429 Too Many Requests); no token request is sent until the block passes.",
            await MessageAsync(() => WelkinAnswers.Status(HttpStatusCode.TooManyRequests)));
    }

    [Fact]
    public async Task Unexpected_status_names_base_url_and_token_path_but_not_the_url()
    {
        Assert.Equal("Welkin answered 405 Method Not Allowed to the token request: check Welkin:BaseUrl and Welkin:TokenPath.",
            await MessageAsync(() => WelkinAnswers.Status(HttpStatusCode.MethodNotAllowed)));
    }

    [Fact]
    public async Task Unreachable_names_the_host_and_the_error()
    {
        Assert.Equal("Welkin could not be reached at welkin.example (connection failed) in 3 attempts, 0.0 s in all. Check Welkin:BaseUrl and the network.",
            await MessageAsync(() => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")));
    }

    [Fact]
    public async Task A_refused_connection_is_named_as_such()
    {
        Assert.Equal("Welkin could not be reached at welkin.example (connection refused) in 3 attempts, 0.0 s in all. Check Welkin:BaseUrl and the network.",
            await MessageAsync(() => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))));
    }

    [Fact]
    public async Task An_untrusted_certificate_says_so_and_how_to_trust_it()
    {
        Assert.Equal(
            "The TLS connection to Welkin at welkin.example failed: its certificate is not trusted on this machine; "
                + ConnectionFailure.HowToTrust + ". Check Welkin:BaseUrl.",
            await MessageAsync(() => throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.",
                new System.Security.Authentication.AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"))));
    }

    [Theory]
    [InlineData("not json", "Welkin's answer is not the expected JSON object {\"token\", \"expiresAt\"}.")]
    [InlineData("", "Welkin's answer is empty.")]
    [InlineData("null", "Welkin's answer is empty.")]
    [InlineData("{\"token\":\" \"}", "Welkin's answer has no token.")]
    [InlineData("{\"token\":\"a b\"}", "Welkin's token contains white space or control characters and cannot be sent as a bearer token.")]
    [InlineData("{\"token\":\"opaque\",\"expiresAt\":\"soon\"}", "Welkin's expiresAt is not an ISO 8601 timestamp and the token carries no exp claim.")]
    public async Task Unusable_answer_says_what_is_wrong(string body, string message)
    {
        Assert.Equal(message, await MessageAsync(() => WelkinAnswers.Json(body)));
    }

    [Fact]
    public async Task Expiry_too_close_gives_both_instants()
    {
        var received = _harness.Time.GetUtcNow();
        var expiresAt = received.AddSeconds(30);

        var message = await MessageAsync(() => WelkinAnswers.Json($$"""{"token":"t","expiresAt":"{{In(TimeSpan.FromSeconds(30))}}"}"""));

        Assert.Equal($"Welkin's token expires at {expiresAt:O}, less than a minute after it was received ({received:O}): it is not stored.", message);
    }

    [Fact]
    public async Task Expiry_exactly_a_minute_away_is_accepted()
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"t","expiresAt":"{{In(TimeSpan.FromMinutes(1))}}"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(_harness.Time.GetUtcNow().AddMinutes(1), token.ExpiresAt);
    }

    [Fact]
    public async Task Request_body_is_utf8_json()
    {
        _harness.WelkinIssues("t");

        await _harness.Client.RequestTokenAsync(CancellationToken.None);

        var sent = MediaTypeHeaderValue.Parse(Assert.Single(_harness.Welkin.Requests).FullContentType!);
        Assert.Equal(("application/json", "utf-8"), (sent.MediaType, sent.CharSet));
    }

    [Fact]
    public async Task Per_attempt_timeouts_on_every_attempt_are_transient_and_name_the_setting()
    {
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = BrokenBodyStream.ThatStalls("{") };

        var request = _harness.Client.RequestTokenAsync(CancellationToken.None);
        // Each attempt's timeout is reached once that attempt has armed it (retries do not wait here), never before.
        var timeout = new WelkinOptions().Timeout;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var due = RefresherHarness.Start + timeout * attempt;
            await _harness.Time.TimerArmedAsync(timer => timer.Due == due);
            _harness.Time.SetUtcNow(due);
        }

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => request.WithinAsync(TimeSpan.FromSeconds(30), "The failure after the third timed-out attempt"));
        Assert.Equal(WelkinFailureKind.Transient, e.Kind);
        Assert.Matches(@"^Welkin at welkin\.example did not answer in time: the last of 3 attempts was stopped after 00:00:15 \(Welkin:Timeout, the limit per attempt\); \d+\.\d s in all, with the pauses between attempts\.$", e.Message);
        // What elapsed is stated: three attempts of 15 s each at least.
        Assert.True(double.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"; (\d+\.\d) s in all").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 45, e.Message);
        Assert.Equal(3, _harness.Welkin.Attempts);
    }

    [Fact]
    public void Wire_models_never_print_their_content()
    {
        Assert.Equal("WelkinTokenRequest", new WelkinTokenRequest("the-secret", "the-client").ToString());
        Assert.Equal("WelkinTokenResponse", new WelkinTokenResponse("the-token", null).ToString());
    }
}
