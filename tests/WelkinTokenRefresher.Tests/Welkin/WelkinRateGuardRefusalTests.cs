using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>What a refusal by the rate guard says and logs, and a 429 with Retry-After: 0.</summary>
public sealed class WelkinRateGuardRefusalTests : IDisposable
{
    private readonly RefresherHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Retry_after_zero_is_the_assumed_block_counted_from_when_the_request_was_sent()
    {
        var time = new FakeTimeProvider(RefresherHarness.Start);
        var guard = new WelkinRateGuard(Options.Create(new WelkinOptions { MaxTokenRequestsPer5Minutes = 10 }), time);
        var sentAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(sentAt + TimeSpan.FromMinutes(5), guard.BlockAfterWelkin429(TimeSpan.Zero, sentAt));
        Assert.Equal(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(20), guard.RemainingBlock());
    }

    [Fact]
    public async Task After_a_429_the_refusal_says_Welkin_blocks_us_and_both_are_logged()
    {
        _harness.Welkin.Respond = _ =>
        {
            var response = WelkinAnswers.Status(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(90));
            return response;
        };
        await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        var refused = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal("Welkin answered 429 Too Many Requests recently; no token request is sent for another 00:01:30.", refused.Message);
        var logs = _harness.Logs.GetSnapshot();
        Assert.Contains(logs, log => log.Id.Id == 1008 && log.Level == LogLevel.Warning);
        Assert.Contains(logs, log => log.Id.Id == 1004 && log.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Past_our_own_limit_the_refusal_names_the_setting()
    {
        _harness.WelkinIssues("t");
        for (var i = 0; i < 10; i++)
        {
            await _harness.Client.RequestTokenAsync(CancellationToken.None);
        }

        var refused = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.StartsWith("Our own limit of token requests per 5 minutes (Welkin:MaxTokenRequestsPer5Minutes) is reached; try again in 00:0", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_harness.Logs.GetSnapshot(), log => log.Id.Id == 1004);
    }
}
