using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// A held blob lease. It is renewed every third of its duration while held, because a refresh with retries and slow
/// answers can outlast one lease period, and a lease lost mid-refresh would let a second instance call Welkin.
/// </summary>
internal sealed class BlobRefreshLease : IRefreshLease
{
    private readonly BlobClient _blob;
    private readonly BlobLeaseClient _lease;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private int _released;

    public BlobRefreshLease(BlobClient blob, BlobLeaseClient lease, TimeProvider time, ILogger logger)
    {
        _blob = blob;
        _lease = lease;
        _logger = logger;
        _renewal = RenewAsync(time);
    }

    public async Task SaveAndReleaseAsync(RefreshLockState state)
    {
        if (!await StopAsync())
        {
            return;
        }

        try
        {
            await _blob.SetMetadataAsync(state.ToMetadata(), new BlobRequestConditions { LeaseId = _lease.LeaseId });
        }
        catch (Exception e) when (BlobRefreshLeaseStore.IsStorageFailure(e, CancellationToken.None))
        {
            CoordinationLog.ReleaseFailed(_logger, BlobRefreshLeaseStore.Describe(e), BlobRefreshLeaseStore.LeaseDuration);
        }

        await ReleaseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (await StopAsync())
        {
            await ReleaseAsync();
        }
    }

    private async Task<bool> StopAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return false;
        }

        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
        return true;
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await _lease.ReleaseAsync();
        }
        catch (Exception e) when (BlobRefreshLeaseStore.IsStorageFailure(e, CancellationToken.None))
        {
            CoordinationLog.ReleaseFailed(_logger, BlobRefreshLeaseStore.Describe(e), BlobRefreshLeaseStore.LeaseDuration);
        }
    }

    private async Task RenewAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(BlobRefreshLeaseStore.LeaseDuration / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await _lease.RenewAsync(cancellationToken: _stop.Token);
                }
                catch (Exception e) when (BlobRefreshLeaseStore.IsStorageFailure(e, _stop.Token))
                {
                    CoordinationLog.RenewFailed(_logger, BlobRefreshLeaseStore.Describe(e));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Released: renewal ends here.
        }
    }
}
