using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Keeps this process under <see cref="WelkinOptions.MaxTokenRequestsPer5Minutes"/> token requests in any rolling
/// five minutes (retries included), and silent after Welkin answers 429. One instance per process.
/// </summary>
/// <remarks>
/// The sliding window is replenished from the injected <see cref="TimeProvider"/> rather than its own timer, so tests and
/// simulations drive it with fake time. Permits leave the window between (segments - 1) and segments segment-lengths after
/// they were taken; one extra segment makes every rolling five minutes hold at most the limit.
/// </remarks>
public sealed class WelkinRateGuard : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultBlock = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Segment = TimeSpan.FromSeconds(10);
    private static readonly int SegmentsPerWindow = (int)(Window / Segment) + 1;

    private readonly TimeProvider _time;
    private readonly SlidingWindowRateLimiter _limiter;
    private readonly DateTimeOffset _origin;
    private readonly Lock _sync = new();
    private long _segmentsReplenished;
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    public WelkinRateGuard(IOptions<WelkinOptions> options, TimeProvider time)
    {
        _time = time;
        _origin = time.GetUtcNow();
        _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.MaxTokenRequestsPer5Minutes,
            Window = Segment * SegmentsPerWindow,
            SegmentsPerWindow = SegmentsPerWindow,
            AutoReplenishment = false,
            QueueLimit = 0,
        });
    }

    /// <summary>Takes a permit for one token request, or says how long to wait.</summary>
    public bool TryAcquire(out TimeSpan retryAfter, out bool blockedByWelkin)
    {
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            if (now < _blockedUntil)
            {
                retryAfter = _blockedUntil - now;
                blockedByWelkin = true;
                return false;
            }

            blockedByWelkin = false;
            CatchUp(now);
            using var lease = _limiter.AttemptAcquire();
            if (lease.IsAcquired)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }

            // The earliest a permit can free is the next segment boundary.
            var elapsed = now - _origin;
            retryAfter = Segment - TimeSpan.FromTicks(elapsed.Ticks % Segment.Ticks);
            return false;
        }
    }

    /// <summary>Welkin answered 429: send nothing until its Retry-After, or five minutes, have passed.</summary>
    public TimeSpan BlockAfterWelkin429(TimeSpan? retryAfter)
    {
        // A Retry-After beyond an hour is not believable for a five-minute block; cap it so a bad header cannot stop us for good.
        var block = retryAfter is { } r && r > TimeSpan.Zero ? (r > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : r) : DefaultBlock;
        lock (_sync)
        {
            var until = _time.GetUtcNow() + block;
            if (until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }

        return block;
    }

    private void CatchUp(DateTimeOffset now)
    {
        var due = (now - _origin).Ticks / Segment.Ticks;
        // More than a whole window of replenishments empties it; the rest would change nothing.
        var steps = Math.Min(due - _segmentsReplenished, SegmentsPerWindow);
        for (var i = 0; i < steps; i++)
        {
            _limiter.TryReplenish();
        }

        _segmentsReplenished = due;
    }

    public void Dispose() => _limiter.Dispose();
}
