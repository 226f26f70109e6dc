using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Testing;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// Every log level on, every outcome: neither the Welkin secret nor any token (Welkin's or the managed identity's)
/// appears in captured logs, exception texts, HTTP answers or the CLI's output.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class NoSecretsInOutputTests
{
    private static string Render(FakeLogCollector logs) => string.Join('\n', logs.GetSnapshot().Select(record =>
        $"{record.Category} {record.Level} {record.Message} {string.Join(' ', record.StructuredState?.Select(pair => pair.Value) ?? [])} {record.Exception}"));

    [Fact]
    public async Task The_Functions_app_logs_no_secret_at_trace_level_across_every_outcome()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        var timer = app.Create<RefreshOnSchedule>();
        var onDemand = app.Create<RefreshOnDemand>();
        var answers = new List<string>();
        async Task RefreshAsync(string? query = null)
        {
            var result = await onDemand.Run(FunctionsApp.Request("POST", query), CancellationToken.None);
            answers.Add(((Microsoft.AspNetCore.Mvc.ContentResult)result).Content!);
        }

        await timer.Run(new TimerInfo(), CancellationToken.None);
        await RefreshAsync();
        await RefreshAsync("?force=true");
        environment.Time.Advance(TimeSpan.FromMinutes(55));
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(WelkinFaultKind.MissingExpiresAt));
        await RefreshAsync();
        environment.Time.Advance(TimeSpan.FromMinutes(55));
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(401));
        await RefreshAsync();
        sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Status(403, KeyVaultOperation.SetSecret));
        await RefreshAsync();
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429));
        var failure = await Record.ExceptionAsync(() => timer.Run(new TimerInfo(), CancellationToken.None));
        answers.Add(((Microsoft.AspNetCore.Mvc.ContentResult)await app.Create<TokenStatus>().Run(FunctionsApp.Request("GET"), CancellationToken.None)).Content!);

        Assert.IsType<ScheduledRefreshFailedException>(failure);
        Assert.Equal(2, sandbox.KeyVault.GetVersions(sandbox.SecretName).Count);
        var logs = Render(app.Logs);
        // The run reached every outcome's log line: not due, refreshed, refused, expiry from the JWT, Welkin failure, vault failure.
        Assert.Superset(new HashSet<int> { 1000, 1001, 1003, 1005, 2001, 2002 }, app.Logs.GetSnapshot().Select(record => record.Id.Id).ToHashSet());
        Secrets.AssertNoneIn(logs, sandbox);
        Secrets.AssertNoneIn(string.Join('\n', answers), sandbox);
        Secrets.AssertNoneIn(failure!.ToString(), sandbox);
    }

    [Fact]
    public async Task The_CLI_prints_no_secret_with_every_log_category_at_trace_level()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        environment["Logging__LogLevel__Default"] = "Trace";
        environment["Logging__LogLevel__Azure"] = "Trace";
        environment["Logging__LogLevel__System.Net.Http"] = "Trace";

        var refreshed = await WelkinTokenCli.RunAsync(environment, "refresh", "--json");
        var status = await WelkinTokenCli.RunAsync(environment, "status", "--json");
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(403));
        environment["KeyVault__SecretName"] = Vault.NewSecretName();
        var rejected = await WelkinTokenCli.RunAsync(environment, "refresh");

        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        Assert.True(status.ExitCode == 0, status.ToString());
        // Trace level is really on: the Welkin request lines (in place of the HTTP client factory's, which carry the URL) reached stderr.
        Assert.Contains("WelkinTokenRefresher.Core.Welkin.WelkinRequestLogger", refreshed.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Net.Http.HttpClient.", refreshed.StdErr, StringComparison.Ordinal);
        rejected.AssertFailed(3, "credentials-rejected");
        Secrets.AssertNoneIn(string.Join('\n', refreshed, status, rejected), sandbox);
    }
}
