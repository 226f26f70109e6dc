using System.Diagnostics;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.Welkin;
using WelkinTokenRefresher.TestSupport.Time;
using Xunit.Abstractions;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// 1,000 concurrent <c>RefreshOnDemand</c> calls in a due cycle, through the function class, on one instance and spread
/// over four sharing Azurite: one Welkin call, every call answered 200. Latencies are reported, not asserted. The
/// instances run on a <see cref="PausedClock"/>: the lock is polled and renewed in real time, but the 20 s a waiter gives
/// the holder never runs out however long a loaded machine takes, so the test counts single flight, not the machine's
/// speed; the storm as a whole is bounded instead.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class StormTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Calls = 1000;
    private readonly WelkinRequestLog _requests = new();
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

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task A_thousand_concurrent_on_demand_calls_in_a_due_cycle_make_one_Welkin_call_and_all_get_200(int instanceCount)
    {
        await WarmUpAsync();
        var secretName = $"t{Guid.NewGuid():N}";
        for (var i = 0; i < instanceCount; i++)
        {
            _instances.Add(new AppInstance(_sandbox, _vault, _clock, _requests, azurite.ConnectionString, s => Patient(s, secretName)));
        }

        // Welkin takes a realistic 200 ms, so the storm overlaps the refresh.
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromMilliseconds(200)));
        var go = new TaskCompletionSource();
        var calls = Enumerable.Range(0, Calls).Select(n => Task.Run(async () =>
        {
            await go.Task;
            var clock = Stopwatch.StartNew();
            var answer = await _instances[n % instanceCount].PostRefreshAsync();
            return (answer, clock.Elapsed);
        })).ToList();
        var wall = Stopwatch.StartNew();
        go.SetResult();
        var results = await Task.WhenAll(calls).WithinAsync(TimeSpan.FromMinutes(5), $"{Calls} concurrent calls");
        wall.Stop();

        var latencies = results.Select(r => r.Elapsed).ToList();
        output.WriteLine($"{Calls} concurrent RefreshOnDemand calls over {instanceCount} instance(s), Azurite lock, warm process: " +
            $"p50 {Percentiles.Of(latencies, 50).TotalMilliseconds:F0} ms, p99 {Percentiles.Of(latencies, 99).TotalMilliseconds:F0} ms, " +
            $"max {latencies.Max().TotalMilliseconds:F0} ms, wall {wall.Elapsed.TotalMilliseconds:F0} ms; " +
            $"Welkin token requests {_sandbox.Welkin.Counters.TokenRequests}; vault reads {_vault.Reads}, writes {_vault.Writes}");
        foreach (var group in results.GroupBy(r => r.answer.Status).OrderBy(g => g.Key))
        {
            output.WriteLine($"  HTTP {group.Key}: {group.Count()}");
        }

        Assert.Equal(1, _sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(1, _vault.Writes);
        Assert.All(results, r => Assert.Equal(200, r.answer.Status));
        foreach (var instance in _instances)
        {
            Assert.DoesNotContain(instance.Logs.GetSnapshot(), r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
            SecretScanner.AssertClean([_sandbox.Secret, .. _vault.Values], instance.Logs, results.Select(r => r.answer.Body));
        }
    }

    /// <summary>
    /// One full refresh on a throwaway instance and lock, so the figures measure the storm rather than the JIT and
    /// connection set-up of the first refresh in the process (about 2.5 s on this 2-core machine). Then the counters
    /// start again from a due token.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using (var warm = new AppInstance(_sandbox, _vault, _clock, new WelkinRequestLog(), azurite.ConnectionString, s => Patient(s, $"warm{Guid.NewGuid():N}")))
        {
            await warm.PostRefreshAsync("?force=true");
        }

        _sandbox.Welkin.ResetCounters();
        _vault.ResetCounters();
        _vault.Seed("eyJhbGciOiJSUzI1NiJ9.storm-due-token.c2lnbmF0dXJl", _clock.GetUtcNow().AddMinutes(-55), _clock.GetUtcNow().AddMinutes(5));
    }

    /// <summary>
    /// The instance's secret, and Welkin:Timeout at its largest: the per-attempt timeout is a real-time timer even on a
    /// paused clock, and a loaded machine must not turn the one slow answer into a retry.
    /// </summary>
    private static void Patient(Dictionary<string, string?> settings, string secretName)
    {
        settings["KeyVault:SecretName"] = secretName;
        settings["Welkin:Timeout"] = "00:02:00";
    }
}
