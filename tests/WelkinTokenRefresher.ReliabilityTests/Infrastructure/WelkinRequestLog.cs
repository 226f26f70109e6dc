namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>When token requests were sent, by every instance, for rolling-window counts.</summary>
public sealed class WelkinRequestLog
{
    private readonly Lock _sync = new();
    private readonly List<DateTimeOffset> _sent = [];

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _sent.Count;
            }
        }
    }

    public void Add(DateTimeOffset at)
    {
        lock (_sync)
        {
            _sent.Add(at);
        }
    }

    public IReadOnlyList<DateTimeOffset> Snapshot()
    {
        lock (_sync)
        {
            return [.. _sent.Order()];
        }
    }

    /// <summary>The most requests in any window of <paramref name="window"/> (a request at the window's end counts).</summary>
    public int MaxInAnyWindow(TimeSpan window)
    {
        var sent = Snapshot();
        var max = 0;
        var first = 0;
        for (var last = 0; last < sent.Count; last++)
        {
            while (sent[last] - sent[first] >= window)
            {
                first++;
            }

            max = Math.Max(max, last - first + 1);
        }

        return max;
    }
}
