using System.Net;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.TestSupport.Time;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>Each non-success answer lands in its named category, with the number of attempts the category allows.</summary>
public sealed class WelkinFailureCategoryTests : IDisposable
{
    private readonly RefresherHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task<WelkinTokenException> FailAsync()
    {
        return await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Rejected_credentials_are_not_retried(HttpStatusCode status)
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Status(status, """{"error":"invalid credentials"}""");

        var e = await FailAsync();

        Assert.Equal(WelkinFailureKind.CredentialsRejected, e.Kind);
        Assert.Equal((int)status, e.StatusCode);
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.Contains("Welkin:ApiClient", e.Message, StringComparison.Ordinal);
        Assert.Contains("Welkin:Secret", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task Transient_status_is_tried_three_times_in_all(HttpStatusCode status)
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Status(status);

        var e = await FailAsync();

        Assert.Equal(WelkinFailureKind.Transient, e.Kind);
        Assert.Equal((int)status, e.StatusCode);
        Assert.Equal(3, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Transient_failure_followed_by_success_returns_the_token()
    {
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway]);
        _harness.Welkin.Respond = _ => answers.Count > 0
            ? WelkinAnswers.Status(answers.Dequeue())
            : WelkinAnswers.Token("third-time-lucky", _harness.Time.GetUtcNow().AddHours(1));

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal("third-time-lucky", token.Value);
        Assert.Equal(3, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Connection_failure_is_retried_then_transient()
    {
        _harness.Welkin.Respond = _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (welkin.example:443)");

        var e = await FailAsync();

        Assert.Equal(WelkinFailureKind.Transient, e.Kind);
        Assert.Equal(3, _harness.Welkin.Attempts);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task Body_that_breaks_off_mid_read_is_a_failed_attempt_and_the_retry_gets_the_token()
    {
        _harness.Welkin.Respond = _ => _harness.Welkin.Attempts == 1
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = BrokenBodyStream.ThatResets("""{"token":"eyJhbGci""") }
            : WelkinAnswers.Token("second-attempt", _harness.Time.GetUtcNow().AddHours(1));

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal("second-attempt", token.Value);
        Assert.Equal(2, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Body_that_breaks_off_on_every_attempt_is_transient_after_three_attempts()
    {
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = BrokenBodyStream.ThatResets("""{"token":""") };

        var e = await FailAsync();

        Assert.Equal(WelkinFailureKind.Transient, e.Kind);
        Assert.Equal(3, _harness.Welkin.Attempts);
        Assert.Equal("Welkin's answer from welkin.example broke off before it was complete (the last of 3 attempts); 0.0 s in all.", e.Message);
        var broken = Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Equal("The connection to Welkin broke while its answer was being read.", broken.Message);
        Assert.IsType<IOException>(broken.InnerException);
    }

    [Fact]
    public async Task Body_that_stalls_past_the_per_attempt_timeout_is_a_failed_attempt_and_the_retry_gets_the_token()
    {
        _harness.Welkin.Respond = _ => _harness.Welkin.Attempts == 1
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = BrokenBodyStream.ThatStalls("""{"token":""") }
            : WelkinAnswers.Token("after-the-stall", _harness.Time.GetUtcNow().AddHours(1));

        var request = _harness.Client.RequestTokenAsync(CancellationToken.None);
        // The clock moves once, to the stalled attempt's timeout, once the pipeline has armed it; every wait is bounded
        // in real time, so a pipeline that never arms it or never retries fails the test instead of hanging it.
        var attemptTimeout = await _harness.Time.TimerArmedAsync(timer => timer.Due == RefresherHarness.Start + new WelkinOptions().Timeout);
        Assert.False(request.IsCompleted);
        _harness.Time.SetUtcNow(attemptTimeout.Due);
        var token = await request.WithinAsync(TimeSpan.FromSeconds(30), "The retry after the stalled attempt");

        Assert.Equal("after-the-stall", token.Value);
        Assert.Equal(2, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Not_found_is_an_invalid_response_naming_base_url_and_token_path()
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Status(HttpStatusCode.NotFound);

        var e = await FailAsync();

        Assert.Equal(WelkinFailureKind.InvalidResponse, e.Kind);
        Assert.Equal(404, e.StatusCode);
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.Contains("Welkin:BaseUrl", e.Message, StringComparison.Ordinal);
        Assert.Contains("Welkin:TokenPath", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_is_rate_limited_and_not_retried()
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Status(HttpStatusCode.TooManyRequests);

        var e = await FailAsync();

        Assert.Equal(WelkinFailureKind.RateLimited, e.Kind);
        Assert.Equal(429, e.StatusCode);
        Assert.Equal(1, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_failure_category()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        _harness.WelkinIssues("t");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.Client.RequestTokenAsync(cancelled.Token));
    }
}
