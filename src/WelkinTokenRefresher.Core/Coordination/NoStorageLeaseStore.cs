using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// The lease store of a process without <c>AzureWebJobsStorage</c> (the CLI, local runs): every refresh falls back to the
/// in-process single flight, and the storage SDK is never loaded.
/// </summary>
internal sealed class NoStorageLeaseStore(ILogger<NoStorageLeaseStore> logger) : IRefreshLeaseStore
{
    private int _logged;

    public Task<LeaseAttempt> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        // Logged once per process: a run without storage is normal, not a fault.
        if (Interlocked.Exchange(ref _logged, 1) == 0)
        {
            CoordinationLog.NotConfigured(logger);
        }

        return Task.FromResult(LeaseAttempt.Unavailable);
    }

    public Task<RefreshLockState?> ReadStateAsync(string name, CancellationToken cancellationToken) => Task.FromResult<RefreshLockState?>(null);
}
