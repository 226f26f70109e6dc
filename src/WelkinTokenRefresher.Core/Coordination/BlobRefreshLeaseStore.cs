using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// The lease on blob <c>welkin-token-refresher-locks/{secret name}</c> in the app's own storage. Its metadata carries the
/// <see cref="RefreshLockState"/>. A lease lasts <see cref="LeaseDuration"/> and is renewed while its holder lives, so a
/// dead holder blocks the others for at most that long.
/// </summary>
internal sealed class BlobRefreshLeaseStore(HostStorageSettings settings, TimeProvider time, ILogger<BlobRefreshLeaseStore> logger) : IRefreshLeaseStore
{
    public const string ContainerName = "welkin-token-refresher-locks";
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    private readonly Lazy<BlobContainerClient?> _container = new(() => CreateContainer(settings, logger));

    public async Task<LeaseAttempt> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        if (_container.Value is not { } container)
        {
            return LeaseAttempt.Unavailable;
        }

        try
        {
            var blob = container.GetBlobClient(name);
            try
            {
                return await AcquireOnceAsync(blob, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                await CreateBlobAsync(container, blob, cancellationToken);
                return await AcquireOnceAsync(blob, cancellationToken);
            }
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            CoordinationLog.StorageUnavailable(logger, settings.Describe(), Describe(e));
            return LeaseAttempt.Unavailable;
        }
    }

    public async Task<RefreshLockState?> ReadStateAsync(string name, CancellationToken cancellationToken)
    {
        if (_container.Value is not { } container)
        {
            return null;
        }

        try
        {
            var properties = await container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken);
            return RefreshLockState.FromMetadata(properties.Value.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            CoordinationLog.StorageUnavailable(logger, settings.Describe(), Describe(e));
            return null;
        }
    }

    private async Task<LeaseAttempt> AcquireOnceAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var leaseClient = blob.GetBlobLeaseClient();
        try
        {
            await leaseClient.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Taken by another refresh: its state tells a waiter when that refresh has finished.
            var busy = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return new LeaseAttempt(LeaseAttemptResult.Busy, RefreshLockState.FromMetadata(busy.Value.Metadata), null);
        }

        var lease = new BlobRefreshLease(blob, leaseClient, time, logger);
        try
        {
            var properties = await blob.GetPropertiesAsync(new BlobRequestConditions { LeaseId = leaseClient.LeaseId }, cancellationToken);
            return new LeaseAttempt(LeaseAttemptResult.Acquired, RefreshLockState.FromMetadata(properties.Value.Metadata), lease);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    private static async Task CreateBlobAsync(BlobContainerClient container, BlobClient blob, CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another instance created it first (or holds a lease on it already): either way it exists now.
        }
    }

    private static BlobContainerClient? CreateContainer(HostStorageSettings settings, ILogger logger)
    {
        try
        {
            return settings.CreateClient().GetBlobContainerClient(ContainerName);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // Never e.Message: the SDK's message about a malformed connection string may quote it, key included.
            CoordinationLog.StorageUnavailable(logger, settings.Describe(), $"the setting is malformed ({e.GetType().Name})");
            return null;
        }
    }

    internal static bool IsStorageFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        RequestFailedException or AuthenticationFailedException or CredentialUnavailableException
            or HttpRequestException or TimeoutException or AggregateException or IOException => true,
        _ => false,
    };

    // Status and error code only: SDK messages carry request details that do not belong in every warning.
    internal static string Describe(Exception e) => e switch
    {
        RequestFailedException { Status: > 0 } r => $"{r.Status} {r.ErrorCode}".TrimEnd(),
        RequestFailedException r => $"unreachable: {r.InnerException?.GetType().Name ?? "no answer"}",
        CredentialUnavailableException => "no Azure credential is available for the storage account",
        AuthenticationFailedException => "Microsoft Entra ID refused a token for the storage account",
        _ => e.GetType().Name,
    };
}
