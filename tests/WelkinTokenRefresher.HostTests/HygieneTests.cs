using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox.Welkin;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests;

/// <summary>
/// Nothing the worker emits holds the API secret or a token: every RpcLog line (message and exception), stdout, stderr,
/// HTTP body and invocation exception over one worker's life with refreshes, refusals and failures, and a rejected start.
/// (Every other test of this project also checks its own answers and the worker's output so far.)
/// </summary>
public sealed class HygieneTests
{
    [Fact]
    public async Task Over_refreshes_refusals_and_failures_no_log_line_answer_exception_or_stderr_holds_the_secret_or_a_token()
    {
        await using var sandbox = await Sandbox.WelkinSandbox.StartAsync();
        var outputs = new List<string>();
        await using (var host = await FunctionsHost.StartAsync(FunctionsApp.Settings(sandbox)))
        {
            var timer = await host.InvokeTimerAsync(FunctionsApp.RefreshOnSchedule);
            var status = await host.SendAsync(HttpMethod.Get, "api/token/status", host.FunctionKey(FunctionsApp.TokenStatus));
            var tooSoon = await host.SendAsync(HttpMethod.Post, "api/token/refresh?force=true", host.FunctionKey(FunctionsApp.RefreshOnDemand));
            Vault.SeedDue(sandbox);
            sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(401));
            var rejected = await host.SendAsync(HttpMethod.Post, "api/token/refresh", host.FunctionKey(FunctionsApp.RefreshOnDemand));
            sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(WelkinFaultKind.NotJson), times: 3);
            var malformed = await host.InvokeTimerAsync(FunctionsApp.RefreshOnSchedule);
            Assert.Equal(0, await host.StopAsync());

            Assert.Equal((200, 429, 502), (status.Answer.StatusCode, tooSoon.Answer.StatusCode, rejected.Answer.StatusCode));
            Assert.Equal(Microsoft.Azure.Functions.Worker.Grpc.Messages.StatusResult.Types.Status.Failure, malformed.Result.Status);
            // The run did handle tokens: one was stored, and the worker logged as it went.
            Assert.StartsWith("eyJ", sandbox.KeyVault.GetVersions(sandbox.SecretName)[0].Value, StringComparison.Ordinal);
            Assert.NotEmpty(host.Logs);
            outputs.AddRange([timer.ToString(), status.ToString(), tooSoon.ToString(), rejected.ToString(), malformed.ToString()]);
            outputs.AddRange(new[] { status, tooSoon, rejected }.Select(invocation => invocation.Answer.Body));
            Secrets.AssertNoneIn(sandbox, host, [.. outputs]);
        }

        // A rejected start with the secret configured: the error names the bad key, never the secret.
        var badStart = await Assert.ThrowsAsync<WorkerStartFailedException>(() => FunctionsHost.StartAsync(
            FunctionsApp.Settings(sandbox, settings => settings["Refresh__MinForceInterval"] = "soon")));
        Assert.Contains("Refresh:MinForceInterval", badStart.StandardError, StringComparison.Ordinal);
        Secrets.AssertNoneIn(sandbox, badStart.Logs, "", badStart.StandardError, badStart.ToString());
    }
}
