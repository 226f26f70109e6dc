namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>A lease, shared by every instance of the app, that one refresh at a time holds while it calls Welkin.</summary>
internal interface IRefreshLeaseStore
{
    /// <summary>Tries to take the lease for <paramref name="name"/> once, without waiting. Never throws for storage failures.</summary>
    Task<LeaseAttempt> TryAcquireAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The state the lease holders of every instance share for <paramref name="name"/>, read without taking the lease, or
    /// null where there is no shared state (no storage, storage unavailable, nothing recorded yet). Never throws for storage failures.
    /// </summary>
    Task<RefreshLockState?> ReadStateAsync(string name, CancellationToken cancellationToken);
}
