using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.Welkin;
using Xunit.Abstractions;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>Four app instances with three clients each, sharing one Azurite (one lease blob per client) and one vault.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class MultiClientCrossInstanceTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Four_instances_times_three_clients_times_100_concurrent_forced_refreshes_make_one_Welkin_request_per_client()
    {
        await using var welkinDefault = await WelkinSandbox.StartAsync();
        await using var welkinLive = await WelkinSandbox.StartAsync();
        await using var welkinStaging = await WelkinSandbox.StartAsync();
        var clients = new ThreeClients(welkinLive, welkinStaging, TimeProvider.System, $"t{Guid.NewGuid():N}");
        var vault = new MultiSecretVault(TimeProvider.System) { Latency = TimeSpan.FromMilliseconds(5) };
        var welkins = new Dictionary<string, WelkinSandbox> { ["default"] = welkinDefault, ["live"] = welkinLive, ["staging"] = welkinStaging };
        // A slow first answer keeps each client's winner holding its lease while everyone else arrives.
        foreach (var welkin in welkins.Values)
        {
            welkin.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromMilliseconds(500)));
        }

        var instances = Enumerable.Range(0, 4)
            .Select(_ => new AppInstance(welkinDefault, vault, TimeProvider.System, new WelkinRequestLog(), azurite.ConnectionString, clients.Configure))
            .ToList();
        try
        {
            var go = new TaskCompletionSource();
            var calls = (
                from instance in instances
                from client in ThreeClients.Names
                from call in Enumerable.Range(0, 100)
                select Task.Run(async () =>
                {
                    await go.Task;
                    Assert.True(instance.Registry.TryGet(client, out var refresher));
                    return await refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);
                })).ToList();
            go.SetResult();
            var outcomes = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(90));

            foreach (var (client, welkin) in welkins)
            {
                var secret = vault.Secret(clients.SecretName(client));
                output.WriteLine($"{client}: {welkin.Welkin.Counters.TokenRequests} Welkin token request(s), {secret.Writes} vault write(s), {outcomes.Count(o => o.Client == client)} answers");
                Assert.Equal(1, welkin.Welkin.Counters.TokenRequests);
                Assert.Equal(1, secret.Writes);
                Assert.All(outcomes.Where(o => o is { Client: var c, Status: RefreshStatus.Succeeded } && c == client), o => Assert.Equal(secret.Latest!.Properties.Version, o.Token?.Version));
            }

            Assert.Equal(1200, outcomes.Length);
            Assert.All(outcomes, o => Assert.True(
                o.Status == RefreshStatus.Succeeded || o is { Status: RefreshStatus.Throttled, Reason: RefreshReasons.ForceTooSoon },
                $"{o.Client} {o.Status} {o.Reason} {o.Message}"));
            foreach (var instance in instances)
            {
                SecretScanner.AssertClean([.. welkins.Values.Select(w => w.Secret), .. ThreeClients.Names.SelectMany(c => vault.Secret(clients.SecretName(c)).Values)], instance.Logs);
            }
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
        }
    }
}
