using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// Integration tests: RefreshOnSchedule created from the Functions app's registration and called in this process (no
/// worker, no timer binding) against the sandbox over loopback. Invoked through a worker process: tests/WelkinTokenRefresher.HostTests.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class FunctionsTimerIntegrationTests
{
    [Fact]
    public async Task A_tick_on_an_empty_vault_stores_the_Welkin_token_with_its_expiry_and_tags()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);

        await app.Create<RefreshOnSchedule>().Run(new TimerInfo(), CancellationToken.None);

        var stored = Assert.Single(sandbox.KeyVault.GetVersions(sandbox.SecretName));
        var now = environment.Time.GetUtcNow();
        Assert.StartsWith("eyJ", stored.Value, StringComparison.Ordinal);
        Assert.Equal(SecretTags.ContentType, stored.ContentType);
        Assert.Equal(now.ToUnixTimeSeconds() + 3600, stored.ExpiresOn!.Value.ToUnixTimeSeconds());
        Assert.Equal(SecretTags.Format(stored.ExpiresOn.Value), stored.Tags[SecretTags.ExpiresAt]);
        Assert.Equal(SecretTags.SourceValue, stored.Tags[SecretTags.Source]);
        Assert.Equal(sandbox.ApiClient, stored.Tags[SecretTags.ApiClient]);
        Assert.True(stored.Enabled);
        Assert.Equal(1, sandbox.Welkin.Counters.TokensIssued);
    }

    [Fact]
    public async Task Ticks_refresh_only_when_due_and_the_token_keeps_working_against_Welkin()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        var timer = app.Create<RefreshOnSchedule>();

        await timer.Run(new TimerInfo(), CancellationToken.None);
        var first = sandbox.KeyVault.GetLatest(sandbox.SecretName)!;

        // Nine more ticks, five minutes apart: the token is 45 minutes old at the last one, not due (Refresh:RefreshAfter is 50 minutes).
        for (var tick = 0; tick < 9; tick++)
        {
            environment.Time.Advance(TimeSpan.FromMinutes(5));
            await timer.Run(new TimerInfo { IsPastDue = tick == 0 }, CancellationToken.None);
        }

        Assert.Single(sandbox.KeyVault.GetVersions(sandbox.SecretName));

        environment.Time.Advance(TimeSpan.FromMinutes(5));
        await timer.Run(new TimerInfo(), CancellationToken.None);

        var versions = sandbox.KeyVault.GetVersions(sandbox.SecretName);
        Assert.Equal(2, versions.Count);
        Assert.NotEqual(first.Value, versions[1].Value);
        Assert.Equal(2, sandbox.Welkin.Counters.TokensIssued);
    }

    [Fact]
    public async Task A_failed_tick_is_a_failed_invocation_and_leaves_the_current_token_in_place()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        Vault.SeedDueToken(sandbox, sandbox.SecretName, environment.Time.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.Welkin.StartOutage(statusCode: 503);

        var failure = await Assert.ThrowsAsync<ScheduledRefreshFailedException>(
            () => app.Create<RefreshOnSchedule>().Run(new TimerInfo(), CancellationToken.None));

        Assert.Contains("welkin-unavailable", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        // The first attempt and two retries, then the tick gives up until the next one.
        Assert.Equal(3, sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.Outage]);
        Assert.Equal(0, sandbox.KeyVault.Counters[KeyVaultOperation.SetSecret]);
        Secrets.AssertNoneIn(failure.ToString(), sandbox);
    }
}
