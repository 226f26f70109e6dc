using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests;

/// <summary>
/// One named client's invalid setting stops that client only: the worker starts, each tick refreshes the valid clients
/// and then fails naming the invalid one as configuration-invalid, and its status is 503 naming the key.
/// </summary>
public sealed class InvalidClientTests
{
    [Fact]
    public async Task The_worker_starts_refreshes_the_valid_client_and_reports_the_invalid_one_by_key()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedDue(sandbox);
        var settings = FunctionsApp.Settings(sandbox, s =>
        {
            s["Welkin__Clients__fourth__ApiClient"] = sandbox.ApiClient;
            s["Welkin__Clients__fourth__Tenant"] = "typo";
            s["Welkin__Clients__fourth__Api"] = "api-client";
        });
        await using var host = await FunctionsHost.StartAsync(settings);

        var tick = await host.InvokeTimerAsync(FunctionsApp.RefreshOnSchedule);
        string key = host.FunctionKey(FunctionsApp.TokenStatus);
        var status = await host.SendAsync(HttpMethod.Get, "api/token/status?client=fourth", key);
        var defaultStatus = await host.SendAsync(HttpMethod.Get, "api/token/status", key);

        Assert.Equal(StatusResult.Types.Status.Failure, tick.Result.Status);
        Assert.StartsWith("Scheduled refresh failed for 1 of 2 client(s): client 'fourth' (secret 'welkin-api-token-fourth') configuration-invalid:", tick.Result.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Welkin:Clients:fourth:Api must be", tick.Result.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Welkin:Clients:fourth:Secret is required", tick.Result.Exception.Message, StringComparison.Ordinal);
        // The valid client was refreshed on that same tick, with one request.
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(2, sandbox.KeyVault.GetVersions(sandbox.SecretName).Count);
        Assert.Equal(503, status.Answer.StatusCode);
        using var json = JsonDocument.Parse(status.Answer.Body);
        Assert.Equal(("fourth", "configuration-invalid"), (json.RootElement.GetProperty("client").GetString(), json.RootElement.GetProperty("category").GetString()));
        Assert.Contains("Welkin:Clients:fourth:Secret", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, defaultStatus.Answer.StatusCode);
        Secrets.AssertNoneIn(sandbox, host, tick.ToString(), status.Answer.Body);
    }
}
