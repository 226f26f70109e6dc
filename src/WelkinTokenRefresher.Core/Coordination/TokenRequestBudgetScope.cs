namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>The token requests one lease holder may still send, and what it sent and was told, for the shared state.</summary>
internal sealed class TokenRequestBudgetScope(int allowed, TimeSpan retryAfterWhenSpent, Action onDispose) : IDisposable
{
    private readonly Lock _sync = new();
    private readonly List<DateTimeOffset> _sent = [];
    private int _remaining = allowed;

    public TimeSpan RetryAfterWhenSpent { get; } = retryAfterWhenSpent;

    public DateTimeOffset? BlockedUntil { get; private set; }

    public IReadOnlyList<DateTimeOffset> Sent
    {
        get
        {
            lock (_sync)
            {
                return [.. _sent];
            }
        }
    }

    public bool TryTake(DateTimeOffset now)
    {
        lock (_sync)
        {
            if (_remaining <= 0)
            {
                return false;
            }

            _remaining--;
            _sent.Add(now);
            return true;
        }
    }

    public void BlockUntil(DateTimeOffset until)
    {
        lock (_sync)
        {
            if (BlockedUntil is null || until > BlockedUntil)
            {
                BlockedUntil = until;
            }
        }
    }

    public void Dispose() => onDispose();
}
