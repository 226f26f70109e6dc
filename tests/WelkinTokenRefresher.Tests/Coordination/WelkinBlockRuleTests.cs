using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Coordination;

/// <summary>
/// One 429, one clock: the in-process guard, the budget all instances share and the Retry-After the caller is given all
/// count Welkin's block from when the refused request was sent, however long the 429 took to arrive.
/// </summary>
public sealed class WelkinBlockRuleTests : IDisposable
{
    private static readonly TimeSpan Latency = TimeSpan.FromSeconds(10);

    private readonly InMemoryRefreshLeaseStore _lease;
    private readonly RefresherHarness _harness;

    public WelkinBlockRuleTests()
    {
        InMemoryRefreshLeaseStore? lease = null;
        _harness = new RefresherHarness(services: s => s.Replace(ServiceDescriptor.Singleton<IRefreshLeaseStore>(p => lease!)));
        _lease = lease = new InMemoryRefreshLeaseStore(_harness.Time);
        _harness.Vault.Seed("due-token", _harness.Time.GetUtcNow().AddMinutes(-55), _harness.Time.GetUtcNow().AddMinutes(5));
    }

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData(120)]
    [InlineData(null)]
    public async Task A_slow_429_blocks_the_guard_the_shared_budget_and_the_callers_retry_after_until_the_same_moment(int? retryAfterSeconds)
    {
        var sentAt = _harness.Time.GetUtcNow();
        _harness.Welkin.Respond = _ =>
        {
            // Welkin takes 10 s to answer: the block it counts from the request's arrival ends 10 s sooner than one counted from the answer.
            _harness.Time.Advance(Latency);
            var answer = WelkinAnswers.Status(HttpStatusCode.TooManyRequests);
            if (retryAfterSeconds is { } seconds)
            {
                answer.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            }

            return answer;
        };
        var blockEnd = sentAt + (retryAfterSeconds is { } r ? TimeSpan.FromSeconds(r) : TimeSpan.FromMinutes(5));

        var first = await _harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);

        // The answer to the caller.
        Assert.Equal((RefreshStatus.Throttled, false, RefreshReasons.RateLimited, "rate-limited"), (first.Status, first.Refreshed, first.Reason, first.FailureCategory));
        Assert.Equal(blockEnd - _harness.Time.GetUtcNow(), first.RetryAfter);
        Assert.Equal((int)(blockEnd - _harness.Time.GetUtcNow()).TotalSeconds, RefreshReport.ToRetryAfterSeconds(first.RetryAfter!.Value));
        // The in-process guard.
        var guard = _harness.Services.GetRequiredKeyedService<WelkinRateGuard>(WelkinClientSettings.DefaultName);
        Assert.Equal(blockEnd - _harness.Time.GetUtcNow(), guard.RemainingBlock());
        // The budget shared by all instances.
        Assert.Equal(blockEnd, _lease.State.BlockedUntil);

        // A moment later, the next caller is held by the shared state and told the same end.
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        var second = await _harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        Assert.Equal(blockEnd - _harness.Time.GetUtcNow(), second.RetryAfter);
        Assert.False(guard.TryAcquire(out var guardRetryAfter, out var blockedByWelkin));
        Assert.True(blockedByWelkin);
        Assert.Equal(blockEnd - _harness.Time.GetUtcNow(), guardRetryAfter);
        Assert.Equal(1, _harness.Welkin.Attempts);

        // At the block's end all three let the next request go.
        _harness.Time.SetUtcNow(blockEnd);
        _harness.Welkin.Respond = _ => WelkinAnswers.Token("new-token", _harness.Time.GetUtcNow().AddHours(1));
        var third = await _harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        Assert.Equal((RefreshStatus.Succeeded, true), (third.Status, third.Refreshed));
        Assert.Equal(2, _harness.Welkin.Attempts);
    }
}
