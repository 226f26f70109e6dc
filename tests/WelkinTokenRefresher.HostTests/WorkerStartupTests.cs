using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.HostTests.Infrastructure;

namespace WelkinTokenRefresher.HostTests;

/// <summary>The built app started as a worker with the host's arguments: it initialises, indexes its three functions from the generated metadata and loads them.</summary>
public sealed class WorkerStartupTests(SandboxWorker worker) : IClassFixture<SandboxWorker>
{
    [Fact]
    public void The_worker_initialises_with_the_HttpUri_capability_of_ASP_NET_Core_integration()
    {
        var init = worker.Host.InitResponse;

        Assert.Equal(StatusResult.Types.Status.Success, init.Result.Status);
        var httpUri = new Uri(init.Capabilities["HttpUri"]);
        Assert.Equal("http", httpUri.Scheme);
        Assert.True(httpUri.IsLoopback, httpUri.ToString());
        Secrets.AssertNoneIn(worker.Sandbox, worker.Host);
    }

    [Fact]
    public void Exactly_the_three_functions_are_indexed_and_loaded_with_their_triggers()
    {
        var functions = worker.Host.Functions;

        Assert.Equal([FunctionsApp.RefreshOnDemand, FunctionsApp.RefreshOnSchedule, FunctionsApp.TokenStatus], functions.Select(f => f.Name).Order(StringComparer.Ordinal));

        var timer = worker.Host.Function(FunctionsApp.RefreshOnSchedule);
        Assert.Equal("timerTrigger", timer.Trigger.Value.Type);
        Assert.Equal("%Refresh:Schedule%", timer.TriggerJson.GetProperty("schedule").GetString());
        Assert.Equal(new RefreshOptions().Schedule, timer.ResolvedTrigger.GetProperty("schedule").GetString());

        AssertHttpTrigger(FunctionsApp.RefreshOnDemand, "post", "token/refresh");
        AssertHttpTrigger(FunctionsApp.TokenStatus, "get", "token/status");
        Secrets.AssertNoneIn(worker.Sandbox, worker.Host);
    }

    private void AssertHttpTrigger(string name, string method, string route)
    {
        var function = worker.Host.Function(name);
        Assert.Equal("httpTrigger", function.Trigger.Value.Type);
        var trigger = function.TriggerJson;
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(JsonValueKind.String, trigger.GetProperty("authLevel").ValueKind);
    }
}
