using System.Net;
using System.Net.Http.Headers;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>After a 429 nothing is sent until Welkin's Retry-After (or five minutes) has passed on the clock.</summary>
public sealed class WelkinRetryAfterTests : IDisposable
{
    private readonly RefresherHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private void AnswerTooManyRequests(Action<HttpResponseMessage> headers)
    {
        _harness.Welkin.Respond = _ =>
        {
            var response = WelkinAnswers.Status(HttpStatusCode.TooManyRequests);
            headers(response);
            return response;
        };
    }

    private async Task<WelkinTokenException> FailAsync() =>
        await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

    /// <summary>Asserts the guard refuses without a network call until <paramref name="block"/> has passed, then sends.</summary>
    private async Task AssertBlockedForAsync(TimeSpan block)
    {
        var attempts = _harness.Welkin.Attempts;
        _harness.WelkinIssues("after-the-block");

        var refused = await FailAsync();
        Assert.Equal(WelkinFailureKind.RateLimited, refused.Kind);
        Assert.Equal(block, refused.RetryAfter);
        Assert.Equal(attempts, _harness.Welkin.Attempts);

        _harness.Time.Advance(block - TimeSpan.FromSeconds(1));
        refused = await FailAsync();
        Assert.Equal(WelkinFailureKind.RateLimited, refused.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.Equal(attempts, _harness.Welkin.Attempts);

        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);
        Assert.Equal("after-the-block", token.Value);
        Assert.Equal(attempts + 1, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Retry_after_in_seconds_sets_the_block()
    {
        AnswerTooManyRequests(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(120)));

        var e = await FailAsync();

        Assert.Equal(WelkinFailureKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
        Assert.Equal(1, _harness.Welkin.Attempts);
        await AssertBlockedForAsync(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task Retry_after_as_a_date_is_measured_from_the_answer_date()
    {
        var now = _harness.Time.GetUtcNow();
        AnswerTooManyRequests(r =>
        {
            r.Headers.Date = now;
            r.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(90));
        });

        var e = await FailAsync();

        Assert.Equal(TimeSpan.FromSeconds(90), e.RetryAfter);
        await AssertBlockedForAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Retry_after_as_a_date_without_a_date_header_is_measured_from_now()
    {
        AnswerTooManyRequests(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(_harness.Time.GetUtcNow().AddMinutes(3)));

        var e = await FailAsync();

        Assert.Equal(TimeSpan.FromMinutes(3), e.RetryAfter);
        await AssertBlockedForAsync(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task Without_retry_after_the_block_is_five_minutes()
    {
        AnswerTooManyRequests(_ => { });

        var e = await FailAsync();

        Assert.Equal(TimeSpan.FromMinutes(5), e.RetryAfter);
        await AssertBlockedForAsync(TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData(0, 300)]
    [InlineData(7200, 3600)]
    public async Task Reported_retry_after_is_the_block_the_guard_holds(int headerSeconds, int blockSeconds)
    {
        AnswerTooManyRequests(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(headerSeconds)));

        var e = await FailAsync();

        // Callers are told to come back exactly when a request will be sent again: no sooner, no later.
        Assert.Equal(TimeSpan.FromSeconds(blockSeconds), e.RetryAfter);
        await AssertBlockedForAsync(TimeSpan.FromSeconds(blockSeconds));
    }
}
