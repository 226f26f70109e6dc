using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.Welkin;
using WelkinTokenRefresher.TestSupport.Time;
using Xunit.Abstractions;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// Several app instances sharing one Azurite (the lock), one vault and the sandbox Welkin. The instances run on a
/// <see cref="PausedClock"/>: the lock is polled and renewed in real time, but no wait, window or block measured on their
/// clock runs out while a loaded machine catches up, so each test counts what it claims and bounds its own waits.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class CrossInstanceSingleFlightTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly WelkinRequestLog _requests = new();
    // Each test its own lock blob, so the shared request budget of one test does not leak into the next.
    private readonly string _secretName = $"t{Guid.NewGuid():N}";
    private readonly List<AppInstance> _instances = [];
    private readonly PausedClock _clock = new();
    private WelkinSandbox _sandbox = null!;
    private InMemorySecretClient _vault = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WelkinSandbox.StartAsync();
        _vault = TestVault.WithDueToken(_clock);
        _vault.Latency = TimeSpan.FromMilliseconds(5);
    }

    public async Task DisposeAsync()
    {
        _instances.ForEach(i => i.Dispose());
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Four_instances_with_250_concurrent_forced_refreshes_each_make_exactly_one_Welkin_request()
    {
        var instances = Start(4);
        // A slow first answer keeps the winner's lease held while everyone else arrives, and the new token lands only
        // once every caller has read the old one: a forced call reading after the write would rightly be force-too-soon.
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromMilliseconds(500)));
        var readers = 0;
        var everyoneRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _vault.BeforeRead = _ =>
        {
            if (Interlocked.Increment(ref readers) == 1000)
            {
                everyoneRead.SetResult();
            }

            return Task.CompletedTask;
        };
        _vault.BeforeWrite = _ => everyoneRead.Task.WithinAsync(TimeSpan.FromMinutes(2), "Every caller's vault read");
        var go = new TaskCompletionSource();
        var calls = instances
            .SelectMany(instance => Enumerable.Range(0, 250).Select(_ => Task.Run(async () =>
            {
                await go.Task;
                return await instance.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);
            })))
            .ToList();
        go.SetResult();
        var outcomes = await Task.WhenAll(calls).WithinAsync(TimeSpan.FromMinutes(5), "1,000 concurrent forced refreshes");
        Assert.True(everyoneRead.Task.IsCompleted, $"Only {Volatile.Read(ref readers)} of 1,000 callers read the vault before the write.");

        output.WriteLine($"Welkin token requests: {_sandbox.Welkin.Counters.TokenRequests}; vault reads {_vault.Reads}, writes {_vault.Writes}");
        foreach (var group in outcomes.GroupBy(o => (o.Status, o.Reason)).OrderBy(g => g.Key.ToString()))
        {
            output.WriteLine($"  {group.Key.Status,-10} {group.Key.Reason,-24} {group.Count()}");
        }

        Assert.Equal(1, _sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(1, _vault.Writes);
        // What docs/reliability.md claims: 1 forced + 999 refreshed-concurrently, all answered 200.
        Assert.All(outcomes, o => Assert.Equal((RefreshStatus.Succeeded, true), (o.Status, o.Refreshed)));
        Assert.Single(outcomes, o => o.Reason == RefreshReasons.Forced);
        Assert.Equal(999, outcomes.Count(o => o.Reason == RefreshReasons.RefreshedConcurrently));
        Assert.All(outcomes, o => Assert.Equal(_vault.Latest!.Properties.Version, o.Token?.Version));
        AssertNoSecrets();
    }

    /// <summary>
    /// The blob lease itself, against Azurite: taken by a holder that died, it keeps the store busy, and once storage
    /// says it has expired the next refresh takes it and refreshes. How long the gate waits and when it gives up is
    /// tested on fake time in CrossInstanceRefreshGateTests; nothing here depends on how fast the machine is.
    /// </summary>
    [Fact]
    public async Task A_lease_left_by_a_dead_instance_keeps_the_lock_busy_until_storage_expires_it_then_the_next_refresh_takes_it()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobRefreshLeaseStore.ContainerName);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(_secretName);
        await blob.UploadAsync(BinaryData.Empty, overwrite: true);
        // 15 s, the shortest lease storage grants; nobody renews or releases it.
        await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15));
        var instance = Start(1)[0];
        var store = instance.Services.GetRequiredService<IRefreshLeaseStore>();

        var whileHeld = await store.TryAcquireAsync(_secretName, CancellationToken.None);
        Assert.Equal(LeaseAttemptResult.Busy, whileHeld.Result);

        // Storage decides when the lease has expired; the test only waits for it to say so.
        var waited = TimeProvider.System.GetTimestamp();
        while ((await blob.GetPropertiesAsync()).Value.LeaseState == LeaseState.Leased)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(waited) < TimeSpan.FromMinutes(2), "Azurite never expired the lease.");
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }

        var outcome = await instance.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Succeeded, true), (outcome.Status, outcome.Refreshed));
        Assert.Equal(1, _sandbox.Welkin.Counters.TokenRequests);
        var state = RefreshLockState.FromMetadata((await blob.GetPropertiesAsync()).Value.Metadata);
        Assert.Equal(outcome.Token!.Version, state.Version);
        Assert.Equal(LeaseState.Available, (await blob.GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task The_request_budget_is_shared_by_all_instances_and_survives_restarts()
    {
        _sandbox.Welkin.StartOutage(statusCode: 503);
        var outcomes = new List<RefreshOutcome>();
        // Four instances, then four restarted ones, each forcing refreshes against a failing Welkin: every failed
        // refresh makes 3 attempts, so each instance's own guard alone would allow 10 requests, 80 in all.
        for (var generation = 0; generation < 2; generation++)
        {
            foreach (var instance in Start(4))
            {
                for (var call = 0; call < 4; call++)
                {
                    outcomes.Add(await instance.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None));
                }
            }
        }

        output.WriteLine($"Welkin token requests: {_sandbox.Welkin.Counters.TokenRequests} (limit 10 per 5 minutes across instances)");
        Assert.Equal(10, _sandbox.Welkin.Counters.TokenRequests);
        Assert.All(outcomes, o => Assert.Contains(o.Status, new[] { RefreshStatus.WelkinFailed, RefreshStatus.Throttled }));
        Assert.Contains(outcomes, o => o is { Status: RefreshStatus.Throttled, Reason: RefreshReasons.RateLimited, RetryAfter: not null });
        Assert.Equal(0, _vault.Writes);
        AssertNoSecrets();
    }

    [Fact]
    public async Task A_Welkin_block_seen_by_one_instance_stops_the_others_and_a_restarted_one()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429, TimeSpan.FromMinutes(2)));
        var first = await Start(1)[0].Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);
        var fresh = Start(2);
        var second = await fresh[0].Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        var third = await fresh[1].Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);

        Assert.Equal(1, _sandbox.Welkin.Counters.TokenRequests);
        Assert.All(new[] { first, second, third }, o => Assert.Equal(RefreshStatus.Throttled, o.Status));
        // The block counts from when the refused request was sent; on the instances' clock no time has passed since.
        Assert.All(new[] { first, second, third }, o => Assert.Equal(TimeSpan.FromMinutes(2), o.RetryAfter));
        Assert.Equal(0, _vault.Writes);
    }

    [Fact]
    public async Task An_uncontended_due_cycle_makes_one_vault_read_one_Welkin_call_and_one_vault_write()
    {
        var instance = Start(1)[0];
        var first = await instance.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        Assert.True(first.Refreshed);
        Assert.Equal((1, 1, 1), (_vault.Reads, (int)_sandbox.Welkin.Counters.TokenRequests, _vault.Writes));
        // The winner records what it wrote, so the next holder re-reads the vault only if someone wrote since its own read.
        var metadata = (await new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(BlobRefreshLeaseStore.ContainerName)
            .GetBlobClient(_secretName).GetPropertiesAsync()).Value.Metadata;
        Assert.Equal(first.Token!.Version, metadata["version"]);
    }

    private List<AppInstance> Start(int count)
    {
        var started = Enumerable.Range(0, count)
            .Select(_ => new AppInstance(_sandbox, _vault, _clock, _requests, azurite.ConnectionString, Settings))
            .ToList();
        _instances.AddRange(started);
        return started;
    }

    /// <summary>
    /// This test's lock blob, and Welkin:Timeout at its largest: the per-attempt timeout is a real-time timer even on a
    /// paused clock, and a loaded machine must not turn a slow answer into a retry.
    /// </summary>
    private void Settings(Dictionary<string, string?> settings)
    {
        settings["KeyVault:SecretName"] = _secretName;
        settings["Welkin:Timeout"] = "00:02:00";
    }

    private void AssertNoSecrets()
    {
        foreach (var instance in _instances)
        {
            SecretScanner.AssertClean([_sandbox.Secret, .. _vault.Values], instance.Logs);
        }
    }
}
