using System.Text.Json;
using WelkinTokenRefresher.Cli;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// <c>welkin-token</c> with several clients, as a separate process against the sandbox: <c>--client</c>, <c>--all</c>, an
/// unknown client, and how the clients' exit codes combine (the most severe wins, in <see cref="ExitCodes.BySeverity"/> order).
/// </summary>
public sealed class CliClientsTests
{
    /// <summary>The sandbox's client as <c>default</c> (auth-token API) and the same API client as <c>live</c> over the api-clients API.</summary>
    private static Dictionary<string, string?> TwoClients(WelkinSandbox sandbox)
    {
        var environment = WelkinTokenCli.Environment(sandbox);
        environment["Welkin__Clients__live__Api"] = "api-clients";
        environment["Welkin__Clients__live__Tenant"] = sandbox.Tenant;
        environment["Welkin__Clients__live__ApiClient"] = sandbox.ApiClient;
        environment["Welkin__Clients__live__Secret"] = sandbox.Secret;
        return environment;
    }

    [Fact]
    public async Task Refresh_all_refreshes_every_client_into_its_own_secret_and_prints_a_line_each()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        var result = await WelkinTokenCli.RunAsync(TwoClients(sandbox), "refresh", "--all");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"[default] Fetched a new token (the vault had none): secret {sandbox.SecretName} version", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("[live] Fetched a new token (the vault had none): secret welkin-api-token-live version", lines[1], StringComparison.Ordinal);
        Assert.Single(sandbox.KeyVault.GetVersions(sandbox.SecretName));
        Assert.Single(sandbox.KeyVault.GetVersions("welkin-api-token-live"));
        Assert.Equal(2, sandbox.Welkin.Counters.TokensIssued);
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task Refresh_and_status_with_client_act_on_that_client_only_and_its_json_names_it()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = TwoClients(sandbox);

        var refreshed = await WelkinTokenCli.RunAsync(environment, "refresh", "--client", "live", "--json");
        var status = await WelkinTokenCli.RunAsync(environment, "status", "--client", "live", "--json");
        var defaultStatus = await WelkinTokenCli.RunAsync(environment, "status");

        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        using var json = JsonDocument.Parse(refreshed.StdOut);
        Assert.Equal("live", json.RootElement.GetProperty("client").GetString());
        Assert.Equal("welkin-api-token-live", json.RootElement.GetProperty("secretName").GetString());
        Assert.Null(sandbox.KeyVault.GetLatest(sandbox.SecretName));
        Assert.True(status.ExitCode == 0, status.ToString());
        using var statusJson = JsonDocument.Parse(status.StdOut);
        Assert.Equal("live", statusJson.RootElement.GetProperty("client").GetString());
        Assert.True(defaultStatus.ExitCode == 1, defaultStatus.ToString());
    }

    [Fact]
    public async Task An_unknown_client_exits_2_listing_the_configured_ones_and_calls_nothing()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        var result = await WelkinTokenCli.RunAsync(TwoClients(sandbox), "refresh", "--client", "prod");

        result.AssertFailed(2, "No Welkin API client named 'prod' is configured (--client); the configured clients are 'default', 'live'.");
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
    }

    [Fact]
    public async Task Client_and_all_together_are_a_usage_error()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        var result = await WelkinTokenCli.RunAsync(TwoClients(sandbox), "status", "--client", "live", "--all");

        result.AssertFailed(2, "--client and --all cannot be combined.");
    }

    [Fact]
    public async Task With_all_the_most_severe_exit_code_wins_and_each_failure_is_named()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = TwoClients(sandbox);
        environment["Welkin__Clients__live__Secret"] = "not-the-secret";

        var refresh = await WelkinTokenCli.RunAsync(environment, "refresh", "--all", "--json");
        var status = await WelkinTokenCli.RunAsync(environment, "status", "--all");

        // default refreshed (0), live rejected (3): 3.
        refresh.AssertFailed(3, "welkin-token: client live: credentials-rejected:");
        using var json = JsonDocument.Parse(refresh.StdOut);
        Assert.Equal(["default", "live"], json.RootElement.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("client").GetString()));
        // default healthy (0), live without a token (1): 1.
        status.AssertFailed(1);
        Assert.Contains("[live] Unhealthy, the vault holds no token: secret", status.StdOut, StringComparison.Ordinal);
        Secrets.AssertNoneIn(refresh.ToString() + status, sandbox, "not-the-secret");
    }

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 0, 0, 0 }, 0)]
    [InlineData(new[] { 0, 1 }, 1)]
    [InlineData(new[] { 1, 4 }, 4)]
    [InlineData(new[] { 4, 5, 0 }, 5)]
    [InlineData(new[] { 5, 6 }, 6)]
    [InlineData(new[] { 6, 3, 5 }, 3)]
    [InlineData(new[] { 3, 2, 6 }, 2)]
    [InlineData(new[] { 2, 70, 0 }, 70)]
    public void Exit_codes_combine_to_the_most_severe(int[] codes, int expected)
    {
        Assert.Equal([70, 2, 3, 6, 5, 4, 1, 0], ExitCodes.BySeverity);
        Assert.Equal(expected, ExitCodes.Combine(codes));
    }
}
