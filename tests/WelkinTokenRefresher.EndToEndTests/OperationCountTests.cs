using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// The emulators' counters prove what one cycle costs: not due is 1 vault read and no Welkin call; due is 1 vault read,
/// 1 Welkin call and 1 vault write. Nothing lists versions, nothing reads by version, nothing patches.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class OperationCountTests
{
    private static void AssertCycleCost(WelkinSandbox sandbox, long reads, long welkinCalls, long writes)
    {
        var vault = sandbox.KeyVault.Counters;
        Assert.Equal(
            (reads, 0L, writes, 0L, 0L, 0L, welkinCalls),
            (vault[KeyVaultOperation.GetSecret], vault[KeyVaultOperation.GetSecretVersion], vault[KeyVaultOperation.SetSecret],
             vault[KeyVaultOperation.UpdateSecretProperties], vault[KeyVaultOperation.ListSecretVersions], vault[KeyVaultOperation.ListSecrets],
             sandbox.Welkin.Counters.TokenRequests));
        Assert.Equal(0, vault.Forbidden + vault.RejectedTokens + vault.FaultsApplied);
    }

    [Fact]
    public async Task Timer_cycles_cost_one_read_when_not_due_and_one_read_one_call_one_write_when_due()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        var timer = app.Create<RefreshOnSchedule>();

        await timer.Run(new TimerInfo(), CancellationToken.None);
        AssertCycleCost(sandbox, reads: 1, welkinCalls: 1, writes: 1);

        sandbox.KeyVault.ResetCounters();
        sandbox.Welkin.ResetCounters();
        environment.Time.Advance(TimeSpan.FromMinutes(5));
        await timer.Run(new TimerInfo(), CancellationToken.None);
        AssertCycleCost(sandbox, reads: 1, welkinCalls: 0, writes: 0);

        sandbox.KeyVault.ResetCounters();
        sandbox.Welkin.ResetCounters();
        environment.Time.Advance(TimeSpan.FromMinutes(50));
        await timer.Run(new TimerInfo(), CancellationToken.None);
        AssertCycleCost(sandbox, reads: 1, welkinCalls: 1, writes: 1);
        Assert.Equal(2, sandbox.KeyVault.GetVersions(sandbox.SecretName).Count);
    }

    [Fact]
    public async Task Concurrent_timer_and_HTTP_refreshes_of_a_due_token_share_one_Welkin_call_and_one_write()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        Vault.SeedDueToken(sandbox, sandbox.SecretName, environment.Time.GetUtcNow());

        var timer = app.Create<RefreshOnSchedule>().Run(new TimerInfo(), CancellationToken.None);
        var requests = Enumerable.Range(0, 8).Select(_ => app.Create<RefreshOnDemand>().Run(FunctionsApp.Request("POST"), CancellationToken.None));
        await Task.WhenAll([timer, .. requests]);

        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(1, sandbox.KeyVault.Counters[KeyVaultOperation.SetSecret]);
        Assert.Equal(2, sandbox.KeyVault.GetVersions(sandbox.SecretName).Count);
    }
}
