using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.HostTests;

/// <summary>RefreshOnSchedule invoked through the worker with the host's timer input, against the sandbox.</summary>
public sealed class TimerInvocationTests : IClassFixture<SandboxWorker>
{
    private readonly SandboxWorker _worker;

    public TimerInvocationTests(SandboxWorker worker)
    {
        _worker = worker;
        _worker.Reset();
    }

    [Fact]
    public async Task A_due_tick_succeeds_with_one_Welkin_request_and_one_new_version_with_expiry_and_tags()
    {
        var sandbox = _worker.Sandbox;
        var due = Vault.SeedDue(sandbox);

        var response = await _worker.Host.InvokeTimerAsync(FunctionsApp.RefreshOnSchedule);

        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, response.Result.Exception?.Message);
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(1, sandbox.KeyVault.Counters[KeyVaultOperation.SetSecret]);
        var stored = sandbox.KeyVault.GetLatest(sandbox.SecretName)!;
        Assert.NotEqual(due.Version, stored.Version);
        Assert.StartsWith("eyJ", stored.Value, StringComparison.Ordinal);
        Assert.Equal(SecretTags.ContentType, stored.ContentType);
        Assert.NotNull(stored.ExpiresOn);
        Assert.InRange(stored.ExpiresOn.Value - TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(58), TimeSpan.FromMinutes(60));
        Assert.Equal(SecretTags.Format(stored.ExpiresOn.Value), stored.Tags[SecretTags.ExpiresAt]);
        Assert.True(stored.Tags.ContainsKey(SecretTags.IssuedAt));
        Assert.Equal(SecretTags.SourceValue, stored.Tags[SecretTags.Source]);
        Assert.Equal(sandbox.ApiClient, stored.Tags[SecretTags.ApiClient]);
        Secrets.AssertNoneIn(sandbox, _worker.Host, response.ToString());
    }

    [Fact]
    public async Task A_tick_that_is_not_due_succeeds_without_a_Welkin_request_or_a_write()
    {
        var sandbox = _worker.Sandbox;
        Vault.SeedFresh(sandbox);
        var before = VaultSnapshot.Take(sandbox);

        var response = await _worker.Host.InvokeTimerAsync(FunctionsApp.RefreshOnSchedule, isPastDue: true);

        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, response.Result.Exception?.Message);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(0, sandbox.KeyVault.Counters.Writes);
        Assert.Equal(before, VaultSnapshot.Take(sandbox));
        Secrets.AssertNoneIn(sandbox, _worker.Host, response.ToString());
    }

    [Fact]
    public async Task Welkin_failing_fails_the_invocation_with_the_category_named_and_leaves_the_vault_unchanged()
    {
        var sandbox = _worker.Sandbox;
        Vault.SeedDue(sandbox);
        var before = VaultSnapshot.Take(sandbox);
        sandbox.Welkin.StartOutage(statusCode: 503);

        var response = await _worker.Host.InvokeTimerAsync(FunctionsApp.RefreshOnSchedule);

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("welkin-unavailable", response.Result.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(sandbox.SecretName, response.Result.Exception.Message, StringComparison.Ordinal);
        // The first attempt and two retries, then the tick gives up until the next one.
        Assert.Equal(3, sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.Outage]);
        Assert.Equal(0, sandbox.KeyVault.Counters.Writes);
        Assert.Equal(before, VaultSnapshot.Take(sandbox));
        Secrets.AssertNoneIn(sandbox, _worker.Host, response.ToString());
    }
}
