using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using WelkinTokenRefresher.HostTests.Infrastructure;

namespace WelkinTokenRefresher.HostTests;

/// <summary>Many refresh calls at once through the worker's HTTP pipeline share one Welkin request.</summary>
public sealed class ConcurrentRefreshTests(SandboxWorker worker) : IClassFixture<SandboxWorker>
{
    private const int Calls = 50;

    [Fact]
    public async Task Fifty_concurrent_refreshes_in_a_due_cycle_make_one_Welkin_request_and_all_answer_200()
    {
        var sandbox = worker.Sandbox;
        Vault.SeedDue(sandbox);

        var invocations = await Task.WhenAll(Enumerable.Range(0, Calls)
            .Select(_ => worker.Host.SendAsync(HttpMethod.Post, "api/token/refresh", worker.Host.FunctionKey(FunctionsApp.RefreshOnDemand))));

        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(2, sandbox.KeyVault.GetVersions(sandbox.SecretName).Count);
        var latest = sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version;
        Assert.All(invocations, invocation =>
        {
            Assert.Equal(StatusResult.Types.Status.Success, invocation.Invocation!.Result.Status);
            Assert.Equal(200, invocation.Answer.StatusCode);
            using var body = JsonDocument.Parse(invocation.Answer.Body);
            Assert.Equal(latest, body.RootElement.GetProperty("version").GetString());
        });
        Secrets.AssertNoneIn(sandbox, worker.Host, [.. invocations.Select(invocation => invocation.Answer.Body)]);
    }
}
