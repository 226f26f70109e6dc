using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// The blob lease renews itself every third of its 60 s while held, on the injected clock: against Azurite, with the
/// clock moved by hand, a renewal is seen as the storage call it makes.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class BlobLeaseRenewalTests(AzuriteFixture azurite)
{
    private readonly string _name = $"r{Guid.NewGuid():N}";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<BlobRefreshLeaseStore> _logger = new();

    [Fact]
    public async Task A_held_lease_is_renewed_twenty_seconds_after_it_was_taken_and_not_before()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString }).Build();
        var store = new BlobRefreshLeaseStore(HostStorageSettings.Read(configuration), _time, _logger);
        var attempt = await store.TryAcquireAsync(_name, CancellationToken.None);
        Assert.Equal(LeaseAttemptResult.Acquired, attempt.Result);
        await using var lease = attempt.Lease!;
        // Another party breaks the lease, so the next renewal fails and says so (event 1107): the renewal becomes visible.
        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobRefreshLeaseStore.ContainerName).GetBlobClient(_name);
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);

        _time.Advance(BlobRefreshLeaseStore.LeaseDuration / 3 - TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1107);

        _time.Advance(TimeSpan.FromSeconds(1));
        var waited = TimeProvider.System.GetTimestamp();
        while (!_logger.Collector.GetSnapshot().Any(r => r.Id.Id == 1107))
        {
            Assert.True(TimeProvider.System.GetElapsedTime(waited) < TimeSpan.FromSeconds(20), "No renewal was attempted 20 s after the lease was taken.");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }
}
