using WelkinTokenRefresher.Core.Coordination;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// The refresh lease as blob storage keeps it, in memory and on the test's clock: one holder at a time, a lease that
/// expires <see cref="BlobRefreshLeaseStore.LeaseDuration"/> after it was taken, and the shared state saved on release.
/// </summary>
internal sealed class InMemoryRefreshLeaseStore(TimeProvider time) : IRefreshLeaseStore
{
    private readonly Lock _sync = new();
    private readonly List<DateTimeOffset> _attempts = [];
    private DateTimeOffset _heldUntil = DateTimeOffset.MinValue;
    private int _holder;

    public RefreshLockState State { get; private set; } = RefreshLockState.Empty;

    /// <summary>When each acquisition was tried, on the test's clock.</summary>
    public IReadOnlyList<DateTimeOffset> Attempts
    {
        get
        {
            lock (_sync)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Another instance takes the lease (and never releases it) for <paramref name="duration"/>.</summary>
    public void TakenElsewhere(TimeSpan duration, RefreshLockState? state = null)
    {
        lock (_sync)
        {
            _holder++;
            _heldUntil = time.GetUtcNow() + duration;
            State = state ?? State;
        }
    }

    /// <summary>The other instance finishes: saves <paramref name="state"/> and releases.</summary>
    public void ReleasedElsewhere(RefreshLockState state)
    {
        lock (_sync)
        {
            State = state;
            _heldUntil = DateTimeOffset.MinValue;
        }
    }

    public Task<RefreshLockState?> ReadStateAsync(string name, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult<RefreshLockState?>(State);
        }
    }

    public Task<LeaseAttempt> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var now = time.GetUtcNow();
            _attempts.Add(now);
            if (now < _heldUntil)
            {
                return Task.FromResult(new LeaseAttempt(LeaseAttemptResult.Busy, State, null));
            }

            _holder++;
            _heldUntil = now + BlobRefreshLeaseStore.LeaseDuration;
            return Task.FromResult(new LeaseAttempt(LeaseAttemptResult.Acquired, State, new Lease(this, _holder)));
        }
    }

    private void Release(int holder, RefreshLockState? state)
    {
        lock (_sync)
        {
            if (holder != _holder)
            {
                return;
            }

            State = state ?? State;
            _heldUntil = DateTimeOffset.MinValue;
        }
    }

    private sealed class Lease(InMemoryRefreshLeaseStore store, int holder) : IRefreshLease
    {
        public Task SaveAndReleaseAsync(RefreshLockState state)
        {
            store.Release(holder, state);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            store.Release(holder, null);
            return ValueTask.CompletedTask;
        }
    }
}
