using Microsoft.Extensions.Time.Testing;

namespace WelkinTokenRefresher.TestSupport.Time;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when code under test arms a timer (created with a due time, or changed to
/// one), so a test can move the clock to exactly that timer's due time once it exists, whatever the machine's speed.
/// Every wait for a timer is bounded in real time and fails with a message instead of hanging.
/// </summary>
public sealed class SteppingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>How long, in real time, a test waits for code under test to arm its next timer.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    private readonly Lock _sync = new();
    private readonly Queue<DateTimeOffset> _pending = new();
    private readonly List<ArmedTimer> _armed = [];
    private TaskCompletionSource _nextArming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _callbacksRun;

    /// <summary>Every timer armed so far, in order: its due time and period.</summary>
    public IReadOnlyList<ArmedTimer> Armed
    {
        get
        {
            lock (_sync)
            {
                return [.. _armed];
            }
        }
    }

    /// <summary>
    /// Timers armed with a due time this accepts are listed in <see cref="Armed"/> but never handed out or stepped to: the
    /// timeouts of work a test never means to time out. Work on real threads (a stub's answer going up an HTTP pipeline)
    /// may still be running after it armed its timeout; stepping to that timeout would time it out on a whim of the
    /// scheduler.
    /// </summary>
    public Func<TimeSpan, bool>? NeverStepTo { get; init; }

    /// <summary>How many timer callbacks have run (they run inside <see cref="FakeTimeProvider.Advance"/> and <see cref="FakeTimeProvider.SetUtcNow"/>).</summary>
    public int CallbacksRun => Volatile.Read(ref _callbacksRun);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new AnnouncedTimer(this, base.CreateTimer(Counted(callback), state, dueTime, period));
        // Armed first, announced after: announced first, the clock could be moved past the due time before the timer
        // exists, and the timer would then wait for a move that never comes.
        Announce(dueTime, period);
        return timer;
    }

    /// <summary>Waits until a timer is armed that has not been handed out yet, and returns its due time.</summary>
    /// <exception cref="TimeoutException">No timer was armed within <paramref name="bound"/> of real time.</exception>
    public async Task<DateTimeOffset> NextTimerAsync(TimeSpan? bound = null)
    {
        var limit = bound ?? DefaultBound;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            Task armed;
            lock (_sync)
            {
                if (_pending.TryDequeue(out var due))
                {
                    return due;
                }

                armed = _nextArming.Task;
            }

            var left = limit - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || await Task.WhenAny(armed, Task.Delay(left, TimeProvider.System)).ConfigureAwait(false) != armed)
            {
                throw new TimeoutException($"No timer was armed within {limit} of real time.");
            }
        }
    }

    /// <summary>Waits until a timer that <paramref name="which"/> accepts has been armed (now or earlier), and returns it.</summary>
    /// <exception cref="TimeoutException">No such timer was armed within <paramref name="bound"/> of real time.</exception>
    public async Task<ArmedTimer> TimerArmedAsync(Func<ArmedTimer, bool> which, TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(which);
        var limit = bound ?? DefaultBound;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            Task armed;
            lock (_sync)
            {
                if (_armed.Find(timer => which(timer)) is { } found)
                {
                    return found;
                }

                armed = _nextArming.Task;
            }

            var left = limit - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || await Task.WhenAny(armed, Task.Delay(left, TimeProvider.System)).ConfigureAwait(false) != armed)
            {
                throw new TimeoutException($"The awaited timer was not armed within {limit} of real time; armed: {string.Join(", ", Armed)}.");
            }
        }
    }

    /// <summary>Moves the clock to each timer's due time as it is armed, until <paramref name="work"/> completes.</summary>
    /// <exception cref="TimeoutException">The work neither finished nor armed a timer within <paramref name="bound"/> of real time.</exception>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan? bound = null)
    {
        await RunAsync((Task)work, bound).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }

    /// <inheritdoc cref="RunAsync{T}(Task{T}, TimeSpan?)"/>
    public async Task RunAsync(Task work, TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        var limit = bound ?? DefaultBound;
        var idleSince = TimeProvider.System.GetTimestamp();
        while (!work.IsCompleted)
        {
            Task armed;
            DateTimeOffset? next = null;
            lock (_sync)
            {
                if (_pending.TryDequeue(out var due))
                {
                    next = due;
                }

                armed = _nextArming.Task;
            }

            if (next is { } at)
            {
                if (at > GetUtcNow())
                {
                    SetUtcNow(at);
                }

                idleSince = TimeProvider.System.GetTimestamp();
                continue;
            }

            var left = limit - TimeProvider.System.GetElapsedTime(idleSince);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No timer was armed and the work did not finish within {limit} of real time.");
            }

            await Task.WhenAny(work, armed, Task.Delay(left, TimeProvider.System)).ConfigureAwait(false);
        }

        await work.ConfigureAwait(false);
    }

    private void Announce(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        TaskCompletionSource arming;
        lock (_sync)
        {
            var due = GetUtcNow() + dueTime;
            if (NeverStepTo?.Invoke(dueTime) != true)
            {
                _pending.Enqueue(due);
            }

            _armed.Add(new ArmedTimer(due, period));
            arming = _nextArming;
            _nextArming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arming.TrySetResult();
    }

    private TimerCallback Counted(TimerCallback callback) => state =>
    {
        Interlocked.Increment(ref _callbacksRun);
        callback(state);
    };

    /// <summary>The fake timer, announcing each change that arms it (a CancellationTokenSource's CancelAfter arms this way).</summary>
    private sealed class AnnouncedTimer(SteppingClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Announce(dueTime, period);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
