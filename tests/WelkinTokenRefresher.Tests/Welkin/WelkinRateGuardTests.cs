using System.Net;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>
/// Welkin:MaxTokenRequestsPer5Minutes through the real client pipeline: every attempt, retries included, takes a permit,
/// and a refused request never reaches the network.
/// </summary>
public sealed class WelkinRateGuardTests
{
    private static RefresherHarness Harness(int limit) =>
        new(s => s["Welkin:MaxTokenRequestsPer5Minutes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<WelkinTokenException> RefusedAsync(RefresherHarness harness) =>
        await Assert.ThrowsAsync<WelkinTokenException>(() => harness.Client.RequestTokenAsync(CancellationToken.None));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task N_requests_pass_and_the_next_is_refused_without_a_network_call(int limit)
    {
        using var harness = Harness(limit);
        harness.WelkinIssues("t");

        for (var i = 0; i < limit; i++)
        {
            await harness.Client.RequestTokenAsync(CancellationToken.None);
        }

        var e = await RefusedAsync(harness);

        Assert.Equal(WelkinFailureKind.RateLimited, e.Kind);
        Assert.True(e.RetryAfter > TimeSpan.Zero, $"RetryAfter was {e.RetryAfter}");
        Assert.Contains("Welkin:MaxTokenRequestsPer5Minutes", e.Message, StringComparison.Ordinal);
        Assert.Equal(limit, harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Retries_take_permits_too()
    {
        using var harness = Harness(5);
        harness.Welkin.Respond = _ => WelkinAnswers.Status(HttpStatusCode.ServiceUnavailable);

        var first = await RefusedAsync(harness);
        Assert.Equal(WelkinFailureKind.Transient, first.Kind);
        Assert.Equal(3, harness.Welkin.Attempts);

        // Two permits are left: the third attempt of this request is refused by the guard.
        var second = await RefusedAsync(harness);
        Assert.Equal(WelkinFailureKind.RateLimited, second.Kind);
        Assert.Equal(5, harness.Welkin.Attempts);

        var third = await RefusedAsync(harness);
        Assert.Equal(WelkinFailureKind.RateLimited, third.Kind);
        Assert.Equal(5, harness.Welkin.Attempts);
    }

    [Fact]
    public async Task Permits_come_back_once_the_window_has_passed()
    {
        using var harness = Harness(2);
        harness.WelkinIssues("t");
        await harness.Client.RequestTokenAsync(CancellationToken.None);
        await harness.Client.RequestTokenAsync(CancellationToken.None);
        await RefusedAsync(harness);

        harness.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await RefusedAsync(harness);
        Assert.Equal(2, harness.Welkin.Attempts);

        harness.Time.Advance(TimeSpan.FromSeconds(11));
        await harness.Client.RequestTokenAsync(CancellationToken.None);
        await harness.Client.RequestTokenAsync(CancellationToken.None);
        Assert.Equal(4, harness.Welkin.Attempts);
        await RefusedAsync(harness);
        Assert.Equal(4, harness.Welkin.Attempts);
    }

    [Theory]
    [InlineData(4, 13)]
    [InlineData(3, 7)]
    [InlineData(10, 29)]
    public async Task No_rolling_five_minutes_holds_more_than_the_limit(int limit, int stepSeconds)
    {
        using var harness = Harness(limit);
        harness.WelkinIssues("t");
        var end = harness.Time.GetUtcNow().AddMinutes(40);

        while (harness.Time.GetUtcNow() < end)
        {
            // Ask more often than the limit allows: twice per step.
            for (var i = 0; i < 2; i++)
            {
                try
                {
                    await harness.Client.RequestTokenAsync(CancellationToken.None);
                }
                catch (WelkinTokenException e) when (e.Kind == WelkinFailureKind.RateLimited)
                {
                    Assert.True(e.RetryAfter > TimeSpan.Zero);
                }
            }

            harness.Time.Advance(TimeSpan.FromSeconds(stepSeconds));
        }

        var sent = harness.Welkin.Requests.Select(r => r.SentAt).ToArray();
        foreach (var at in sent)
        {
            var inWindow = sent.Count(t => t >= at && t <= at + TimeSpan.FromMinutes(5));
            Assert.True(inWindow <= limit, $"{inWindow} requests in the five minutes from {at:O}, limit {limit}");
        }

        // And the guard is not simply closed: over 40 minutes it lets through most of what the limit allows.
        Assert.True(sent.Length >= limit * 6, $"only {sent.Length} requests were sent in 40 minutes with a limit of {limit}");
    }
}
