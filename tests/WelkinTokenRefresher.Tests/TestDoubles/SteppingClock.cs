using Microsoft.Extensions.Time.Testing;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when code under test arms a timer, so a test can move the clock to exactly
/// that timer's due time once it exists, whatever the machine's speed.
/// </summary>
public sealed class SteppingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _sync = new();
    private readonly Queue<DateTimeOffset> _armed = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var due = GetUtcNow() + dueTime;
        // Armed first, announced after: announced first, the clock could be moved past the due time before the timer
        // exists, and the timer would then wait for a move that never comes.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_sync)
            {
                _armed.Enqueue(due);
            }
        }

        return timer;
    }

    /// <summary>Moves the clock to each timer's due time as it is armed, until <paramref name="work"/> completes.</summary>
    public async Task<T> RunAsync<T>(Task<T> work)
    {
        var bound = TimeSpan.FromSeconds(30);
        var waited = TimeProvider.System.GetTimestamp();
        while (!work.IsCompleted)
        {
            DateTimeOffset? next = null;
            lock (_sync)
            {
                if (_armed.TryDequeue(out var due))
                {
                    next = due;
                }
            }

            if (next is { } at)
            {
                if (at > GetUtcNow())
                {
                    SetUtcNow(at);
                }

                continue;
            }

            if (TimeProvider.System.GetElapsedTime(waited) > bound)
            {
                throw new TimeoutException($"No timer was armed and the work did not finish within {bound} of real time.");
            }

            await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System));
        }

        return await work;
    }
}
