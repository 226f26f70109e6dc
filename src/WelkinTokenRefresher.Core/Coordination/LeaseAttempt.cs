namespace WelkinTokenRefresher.Core.Coordination;

internal enum LeaseAttemptResult
{
    /// <summary>This refresh holds the lease.</summary>
    Acquired,

    /// <summary>Another refresh holds it.</summary>
    Busy,

    /// <summary>No storage is configured, or it failed: fall back to the in-process single flight.</summary>
    Unavailable,
}

/// <summary>The answer of one <see cref="IRefreshLeaseStore.TryAcquireAsync"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="State">The shared state as last saved; for <see cref="LeaseAttemptResult.Unavailable"/>, empty.</param>
/// <param name="Lease">For <see cref="LeaseAttemptResult.Acquired"/>: the lease to release.</param>
internal sealed record LeaseAttempt(LeaseAttemptResult Result, RefreshLockState State, IRefreshLease? Lease)
{
    public static readonly LeaseAttempt Unavailable = new(LeaseAttemptResult.Unavailable, RefreshLockState.Empty, null);
}
