using System.Text.Json;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// Concurrent <c>welkin-token refresh</c> processes on one machine, without host storage, share one Welkin request through
/// the lock file of their secret: the one that takes it fetches and stores, the others wait and answer with its token
/// (<c>refreshed-concurrently</c>, exit 0, as the HTTP API answers 200).
/// </summary>
public sealed class CliConcurrencyTests
{
    public const int Processes = 8;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Eight_runs_at_once_on_an_empty_secret_make_one_Welkin_request_and_one_version_and_all_exit_0(bool force)
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        using var workspace = CliWorkspace.Create();
        // Welkin answers once every run has read the vault (or after 10 s, within the 15 s per attempt): all eight are under
        // way together, and none read the vault after the token was stored.
        sandbox.Welkin.Processing = async cancellationToken =>
        {
            using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cap.CancelAfter(TimeSpan.FromSeconds(10));
            while (sandbox.KeyVault.Counters[KeyVaultOperation.GetSecret] < Processes && !cap.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        };
        string[] args = force ? ["refresh", "--force", "--json"] : ["refresh", "--json"];

        var results = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => WelkinTokenCli.RunAsync(workspace, WelkinTokenCli.Environment(sandbox), args)));

        var report = string.Join("\n", results.Select(r => r.ToString()));
        Assert.All(results, r => Assert.True(r.ExitCode == 0 && r.StdErr == "", report));
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        var stored = Assert.Single(sandbox.KeyVault.GetVersions(sandbox.SecretName));
        var answers = results.Select(r => JsonDocument.Parse(r.StdOut).RootElement).ToList();
        Assert.All(answers, a => Assert.Equal(stored.Version, a.GetProperty("version").GetString()));
        var reasons = answers.Select(a => a.GetProperty("reason").GetString()).ToList();
        Assert.Equal(1, reasons.Count(r => r == (force ? RefreshReasons.Forced : RefreshReasons.NoToken)));
        // The others waited for the lock and answer with the token it stored; on a loaded machine a run may read the vault
        // only after the store, and then finds its token not due.
        string[] others = force ? [RefreshReasons.RefreshedConcurrently] : [RefreshReasons.RefreshedConcurrently, RefreshReasons.NotDue];
        Assert.All(reasons.Where(r => r is not (RefreshReasons.Forced or RefreshReasons.NoToken)), r => Assert.Contains(r, others));
        Assert.All(answers.Where(a => a.GetProperty("reason").GetString() == RefreshReasons.RefreshedConcurrently), a => Assert.True(a.GetProperty("refreshed").GetBoolean()));
        Assert.Equal(["welkin-api-token.lock", "welkin-api-token.state"], Directory.EnumerateFiles(workspace.LockDirectory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
        Secrets.AssertNoneIn(report, sandbox);
    }

    [Fact]
    public async Task Waiting_runs_print_that_another_process_refreshed_it()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        using var workspace = CliWorkspace.Create();
        sandbox.Welkin.Processing = async _ =>
        {
            using var cap = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (sandbox.KeyVault.Counters[KeyVaultOperation.GetSecret] < 2 && !cap.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => WelkinTokenCli.RunAsync(workspace, WelkinTokenCli.Environment(sandbox), "refresh")));

        var lines = results.Select(r => r.StdOut.TrimEnd()).Order(StringComparer.Ordinal).ToList();
        var version = sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version;
        Assert.StartsWith($"Another process refreshed it: secret {sandbox.SecretName} version {version}, issued ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"Fetched a new token (the vault had none): secret {sandbox.SecretName} version {version}, issued ", lines[1], StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal((0, ""), (r.ExitCode, r.StdErr)));
    }
}
