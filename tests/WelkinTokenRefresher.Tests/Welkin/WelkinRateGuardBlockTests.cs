using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>The guard on its own: the rolling window's exact edge, and the block after a Welkin 429.</summary>
public sealed class WelkinRateGuardBlockTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    private WelkinRateGuard Guard() => new(Options.Create(new WelkinOptions { MaxTokenRequestsPer5Minutes = 10 }), _time);

    [Theory]
    [InlineData(null, 300)]
    [InlineData(0, 300)]
    [InlineData(-30, 300)]
    [InlineData(45, 45)]
    [InlineData(3600, 3600)]
    [InlineData(86400, 3600)]
    public void Block_uses_retry_after_or_five_minutes_capped_at_an_hour(int? retryAfterSeconds, int expectedSeconds)
    {
        var guard = Guard();

        var block = guard.BlockAfterWelkin429(retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null, _time.GetUtcNow()) - _time.GetUtcNow();

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), block);
        Assert.False(guard.TryAcquire(out var retryAfter, out var blockedByWelkin));
        Assert.True(blockedByWelkin);
        Assert.Equal(block, retryAfter);

        _time.Advance(block);
        Assert.True(guard.TryAcquire(out _, out _));
    }

    [Fact]
    public void Without_retry_after_the_assumed_block_counts_from_when_the_request_was_sent()
    {
        var guard = Guard();
        var sentAt = _time.GetUtcNow();
        // The 429 arrives 20 s after the request was sent.
        _time.Advance(TimeSpan.FromSeconds(20));

        var block = guard.BlockAfterWelkin429(null, sentAt) - _time.GetUtcNow();

        Assert.Equal(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(20), block);
        Assert.Equal(block, guard.RemainingBlock());
        _time.Advance(block);
        Assert.True(guard.TryAcquire(out _, out _));
    }

    [Fact]
    public void With_retry_after_the_block_also_counts_from_when_the_request_was_sent()
    {
        var guard = Guard();
        var sentAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(sentAt + TimeSpan.FromSeconds(120), guard.BlockAfterWelkin429(TimeSpan.FromSeconds(120), sentAt));
        Assert.Equal(TimeSpan.FromSeconds(100), guard.RemainingBlock());

        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Null(guard.RemainingBlock());
        Assert.True(guard.TryAcquire(out _, out _));
    }

    [Fact]
    public void A_shorter_later_block_does_not_shorten_a_longer_one()
    {
        var guard = Guard();
        guard.BlockAfterWelkin429(TimeSpan.FromMinutes(10), _time.GetUtcNow());
        guard.BlockAfterWelkin429(TimeSpan.FromMinutes(1), _time.GetUtcNow());

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.False(guard.TryAcquire(out var retryAfter, out _));
        Assert.Equal(TimeSpan.FromMinutes(8), retryAfter);
    }

    [Fact]
    public void A_permit_leaves_the_window_just_after_five_minutes_and_retry_after_says_so()
    {
        var guard = new WelkinRateGuard(Options.Create(new WelkinOptions { MaxTokenRequestsPer5Minutes = 2 }), _time);
        Assert.True(guard.TryAcquire(out _, out _));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(guard.TryAcquire(out _, out _));

        Assert.False(guard.TryAcquire(out var retryAfter, out var blockedByWelkin));
        Assert.False(blockedByWelkin);
        Assert.Equal(TimeSpan.FromMinutes(4) + TimeSpan.FromTicks(1), retryAfter);

        // Exactly five minutes after the first permit it still counts: [t, t + 5 min] is a rolling five minutes.
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(guard.TryAcquire(out _, out _));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(guard.TryAcquire(out _, out _));
        Assert.False(guard.TryAcquire(out retryAfter, out _));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
    }
}
