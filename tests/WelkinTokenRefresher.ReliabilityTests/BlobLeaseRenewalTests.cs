using Xunit.Abstractions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.TestSupport.Time;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// The blob lease renews itself every third of its 60 s while held, on the injected clock: against Azurite, with the
/// clock moved by hand, a renewal is seen as the storage call it makes.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class BlobLeaseRenewalTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private readonly string _name = $"r{Guid.NewGuid():N}";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly SteppingClock _time = new(Start);
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

        // The renewal is a timer on the injected clock: armed for a third of the lease, repeating, when the lease is
        // taken. Fake timers fire only inside Advance, so "not before" is a fact of the clock, not of a real-time sleep.
        var renewal = await _time.TimerArmedAsync(timer => timer.Period != Timeout.InfiniteTimeSpan);
        Assert.Equal(new ArmedTimer(Start + BlobRefreshLeaseStore.LeaseDuration / 3, BlobRefreshLeaseStore.LeaseDuration / 3), renewal);
        _time.Advance(BlobRefreshLeaseStore.LeaseDuration / 3 - TimeSpan.FromSeconds(1));
        Assert.Equal(0, _time.CallbacksRun);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _time.CallbacksRun);
        await RenewalFailureLoggedAsync(TimeSpan.FromSeconds(30));
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1107);
    }

    /// <summary>Waits for warning 1107, the renewal's failed storage call (the lease was broken), for at most <paramref name="bound"/>.</summary>
    private async Task RenewalFailureLoggedAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await foreach (var record in _logger.Collector.GetLogsAsync(timeout.Token))
            {
                if (record.Id.Id == 1107)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"The renewal due 20 s after the lease was taken made no storage call (warning 1107) within {bound} of real time.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lease_lost_while_held_is_reported_on_release_saves_nothing_and_throws_nothing(bool takenByAnother)
    {
        var store = Store();
        var attempt = await store.TryAcquireAsync(_name, CancellationToken.None);
        var blob = Blob();
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        if (takenByAnother)
        {
            await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15));
        }

        await attempt.Lease!.SaveAndReleaseAsync(attempt.State with { Version = "v-after-the-break", Attempts = 1 });
        await attempt.Lease.DisposeAsync();

        // Saving fails (the lease is gone). Releasing a broken lease is allowed, one another party took is not; disposing
        // afterwards does nothing more.
        var warnings = _logger.Collector.GetSnapshot().Where(r => r.Id.Id == 1102).Select(r => r.Message).ToList();
        output.WriteLine(string.Join(Environment.NewLine, warnings));
        string[] expected = takenByAnother
            ? [Warning("412 LeaseIdMismatchWithBlobOperation"), Warning("409 LeaseIdMismatchWithLeaseOperation")]
            : [Warning("412 LeaseNotPresentWithBlobOperation")];
        Assert.Equal(expected, warnings);
        Assert.False((await blob.GetPropertiesAsync()).Value.Metadata.ContainsKey("version"));
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_for_the_next_holder_with_the_state_it_saved()
    {
        var store = Store();
        var first = await store.TryAcquireAsync(_name, CancellationToken.None);
        var busy = await store.TryAcquireAsync(_name, CancellationToken.None);
        await first.Lease!.SaveAndReleaseAsync(first.State with { Version = "v1", Attempts = 1 });
        await first.Lease.DisposeAsync();
        // Released already: a second save does nothing, so it cannot overwrite what the next holder saves.
        await first.Lease.SaveAndReleaseAsync(first.State with { Version = "v-stale", Attempts = 9 });
        var next = await store.TryAcquireAsync(_name, CancellationToken.None);
        await using var held = next.Lease!;

        Assert.Equal((LeaseAttemptResult.Acquired, LeaseAttemptResult.Busy, LeaseAttemptResult.Acquired), (first.Result, busy.Result, next.Result));
        Assert.Equal(("v1", 1L), (next.State.Version, next.State.Attempts));
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    private static string Warning(string problem) =>
        $"The refresh lock's state could not be saved or its lease released ({problem}); the lease expires by itself within 00:01:00.";

    private BlobRefreshLeaseStore Store()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString }).Build();
        return new BlobRefreshLeaseStore(HostStorageSettings.Read(configuration), _time, _logger);
    }

    private BlobClient Blob() =>
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobRefreshLeaseStore.ContainerName).GetBlobClient(_name);
}
