namespace WelkinTokenRefresher.Sandbox;

/// <summary>
/// A thread-safe queue of faults for an emulator: each entry answers the next matching requests, in order,
/// as many times as it was enqueued for.
/// </summary>
/// <typeparam name="TFault">The emulator's fault description.</typeparam>
public sealed class FaultSchedule<TFault>
    where TFault : class
{
    private readonly Lock _gate = new();
    private readonly List<(TFault Fault, int Remaining)> _entries = [];

    /// <summary>Adds a fault that answers the next <paramref name="times"/> matching requests.</summary>
    public void Enqueue(TFault fault, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _entries.Add((fault, times));
        }
    }

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>The number of requests the pending faults will still answer.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _entries.Sum(e => e.Remaining);
            }
        }
    }

    /// <summary>Takes one use of the first pending fault that <paramref name="matches"/> accepts.</summary>
    internal TFault? TryTake(Func<TFault, bool> matches)
    {
        lock (_gate)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                var (fault, remaining) = _entries[i];
                if (!matches(fault))
                {
                    continue;
                }

                if (remaining == 1)
                {
                    _entries.RemoveAt(i);
                }
                else
                {
                    _entries[i] = (fault, remaining - 1);
                }

                return fault;
            }

            return null;
        }
    }
}
