using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Keeps this process under <see cref="WelkinOptions.MaxTokenRequestsPer5Minutes"/> token requests in any rolling
/// five minutes (retries included), and silent after Welkin answers 429. One instance per Welkin API client per process.
/// </summary>
/// <remarks>
/// A sliding log of the send times of the last permits, read from the injected <see cref="TimeProvider"/>, so tests and
/// simulations drive it with fake time. (System.Threading.RateLimiting's SlidingWindowRateLimiter cannot be used here:
/// it ignores a manual replenishment that comes sooner than one segment after the last one in real time, so under a
/// catch-up loop or fake time its permits never came back.) The limit is at most 100, so the log stays tiny.
/// </remarks>
public sealed class WelkinRateGuard
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultBlock = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly Lock _sync = new();
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    public WelkinRateGuard(IOptions<WelkinOptions> options, TimeProvider time)
    {
        _time = time;
        _limit = options.Value.MaxTokenRequestsPer5Minutes;
        Keys = options.Value.Keys;
    }

    /// <summary>The Welkin API client this guard counts for: each client has its own budget at Welkin and here.</summary>
    public string Client => Keys.Client;

    /// <summary>The client's keys, so a refusal names the limit in force for it.</summary>
    public ClientKeys Keys { get; }

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
            while (_sent.Count > 0 && !Counts(_sent.Peek(), now))
            {
                _sent.Dequeue();
            }

            if (_sent.Count < _limit)
            {
                _sent.Enqueue(now);
                retryAfter = TimeSpan.Zero;
                return true;
            }

            // The oldest permit in the window is the next to leave it.
            retryAfter = UntilLeft(_sent.Peek(), now);
            return false;
        }
    }

    /// <summary>Welkin answered 429: send nothing until the block of <see cref="BlockEnd"/> has passed.</summary>
    /// <returns>The block's end.</returns>
    public DateTimeOffset BlockAfterWelkin429(TimeSpan? retryAfter, DateTimeOffset sentAt)
    {
        var until = BlockEnd(sentAt, retryAfter);
        lock (_sync)
        {
            if (until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }

        return until;
    }

    /// <summary>How many token requests this process sent that still count at <paramref name="now"/>.</summary>
    public int SentInWindow(DateTimeOffset now)
    {
        lock (_sync)
        {
            return _sent.Count(sentAt => Counts(sentAt, now));
        }
    }

    /// <summary>The ceiling this guard keeps (<see cref="WelkinOptions.MaxTokenRequestsPer5Minutes"/>).</summary>
    public int Limit => _limit;

    /// <summary>When Welkin's block ends as this process holds it, or null when none holds at <paramref name="now"/>.</summary>
    public DateTimeOffset? BlockedUntil(DateTimeOffset now)
    {
        lock (_sync)
        {
            return _blockedUntil > now ? _blockedUntil : null;
        }
    }

    /// <summary>What is left of Welkin's block as this process holds it, or null when none holds.</summary>
    public TimeSpan? RemainingBlock()
    {
        var now = _time.GetUtcNow();
        lock (_sync)
        {
            return _blockedUntil > now ? _blockedUntil - now : null;
        }
    }

    /// <summary>
    /// The one window rule, for this guard and the budget all instances share: a token request sent at t counts for every
    /// five minutes that contain t, so it still counts at exactly t + <see cref="Window"/> and leaves just after.
    /// </summary>
    public static bool Counts(DateTimeOffset sentAt, DateTimeOffset now) => now - sentAt <= Window;

    /// <summary>How long until a token request sent at <paramref name="sentAt"/> no longer <see cref="Counts"/>.</summary>
    public static TimeSpan UntilLeft(DateTimeOffset sentAt, DateTimeOffset now) => sentAt + Window - now + TimeSpan.FromTicks(1);

    /// <summary>
    /// The one rule for a 429: Welkin's block starts when it counted the request, so it runs from when the refused request
    /// was sent, for its Retry-After or, without one, the documented five minutes. The in-process guard, the budget shared
    /// by all instances and the Retry-After this app answers with all take the block's end from here: counted from the
    /// answer instead, a slow 429 would make the next 5-minute tick land a moment inside the block and slip a whole tick.
    /// </summary>
    public static DateTimeOffset BlockEnd(DateTimeOffset sentAt, TimeSpan? retryAfter) => sentAt + BlockFor(retryAfter);

    /// <summary>How long a 429 with this Retry-After blocks token requests.</summary>
    public static TimeSpan BlockFor(TimeSpan? retryAfter) =>
        // A Retry-After beyond an hour is not believable for a five-minute block; cap it so a bad header cannot stop us for good.
        retryAfter is { } r && r > TimeSpan.Zero ? (r > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : r) : DefaultBlock;
}
