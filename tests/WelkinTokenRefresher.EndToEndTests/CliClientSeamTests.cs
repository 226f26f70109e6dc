using System.Text.Json;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// <c>welkin-token</c> at the seams between clients, as a separate process against the sandbox: credentials are never
/// inherited, status needs only the vault, an invalid client stops only itself, overrides act on the client they are
/// given for, and a Key Vault error nobody classified is still exit 6 with one line.
/// </summary>
public sealed class CliClientSeamTests
{
    /// <summary>The sandbox's client as <c>default</c> and the same API client, with its own credentials, as <c>staging</c>.</summary>
    private static Dictionary<string, string?> TwoClients(WelkinSandbox sandbox)
    {
        var environment = WelkinTokenCli.Environment(sandbox);
        environment["Welkin__Clients__staging__ApiClient"] = sandbox.ApiClient;
        environment["Welkin__Clients__staging__Secret"] = sandbox.Secret;
        return environment;
    }

    [Fact]
    public async Task A_named_client_without_its_own_secret_sends_nothing_anywhere_and_exits_2_naming_its_key()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = TwoClients(sandbox);
        environment["Welkin__Clients__staging__Secret"] = null;

        var staging = await WelkinTokenCli.RunAsync(environment, "refresh", "--client", "staging");
        var requestsAfterStaging = sandbox.Welkin.Counters.TokenRequests;
        var all = await WelkinTokenCli.RunAsync(environment, "refresh", "--all", "--json");

        staging.AssertFailed(2, "Welkin:Clients:staging:Secret is required");
        Assert.Equal("", staging.StdOut);
        Assert.Equal(0, requestsAfterStaging);
        // With --all the valid client still runs; the invalid one is reported after it, and the code is the most severe.
        all.AssertFailed(2, "client staging: configuration-invalid:");
        using var json = JsonDocument.Parse(all.StdOut);
        Assert.Equal(["no-token", "configuration-invalid"], json.RootElement.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("reason").GetString()));
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Single(sandbox.KeyVault.GetVersions(sandbox.SecretName));
        Assert.Null(sandbox.KeyVault.GetLatest("welkin-api-token-staging"));
        Secrets.AssertNoneIn(staging.ToString() + all, sandbox);
    }

    [Fact]
    public async Task Status_in_every_form_needs_only_the_vault_with_every_Welkin_secret_absent()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = TwoClients(sandbox);
        var refreshed = await WelkinTokenCli.RunAsync(environment, "refresh", "--all");
        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        foreach (var key in environment.Keys.Where(k => k.EndsWith("__Secret", StringComparison.Ordinal)).ToList())
        {
            environment[key] = null;
        }

        var plain = await WelkinTokenCli.RunAsync(environment, "status");
        var named = await WelkinTokenCli.RunAsync(environment, "status", "--client", "staging", "--json");
        var all = await WelkinTokenCli.RunAsync(environment, "status", "--all", "--json");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.StartsWith("Healthy: secret", plain.StdOut, StringComparison.Ordinal);
        // Its budget too: this process sent nothing, against the ceiling read without the credentials.
        Assert.EndsWith(", requests 0/10 in 5 min." + Environment.NewLine, plain.StdOut, StringComparison.Ordinal);
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Equal("ok", JsonDocument.Parse(named.StdOut).RootElement.GetProperty("reason").GetString());
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.True(JsonDocument.Parse(all.StdOut).RootElement.GetProperty("healthy").GetBoolean());
        Assert.Equal("", plain.StdErr + named.StdErr + all.StdErr);
    }

    [Fact]
    public async Task Overrides_act_on_the_client_they_are_given_for_and_are_refused_with_all()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = TwoClients(sandbox);
        var refreshed = await WelkinTokenCli.RunAsync(environment, "refresh", "--all");
        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());

        var other = await WelkinTokenCli.RunAsync(environment, "status", "--client", "staging", "--secret-name", "not-written-yet", "--json");
        var withAll = await WelkinTokenCli.RunAsync(environment, "refresh", "--all", "--secret-name", "x");
        var unknown = await WelkinTokenCli.RunAsync(environment, "status", "--client", "stagin", "--secret-name", "x");

        // The override names staging's secret, which holds nothing: not staging's real token reported as Healthy.
        Assert.True(other.ExitCode == 1, other.ToString());
        using var json = JsonDocument.Parse(other.StdOut);
        Assert.Equal(("staging", "not-written-yet", "no-token"),
            (json.RootElement.GetProperty("client").GetString(), json.RootElement.GetProperty("secretName").GetString(), json.RootElement.GetProperty("reason").GetString()));
        withAll.AssertFailed(2, "--vault-uri, --secret-name and --welkin-base-url set one client's settings and cannot be combined with --all");
        // A mistyped client stays unknown: the override does not make it a client.
        unknown.AssertFailed(2, "No Welkin API client named 'stagin' is configured (--client); the configured clients are 'default', 'staging'.");
    }

    [Fact]
    public async Task With_only_named_clients_a_plain_refresh_lists_them_and_says_how_to_pick()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = TwoClients(sandbox);
        environment["Welkin__ApiClient"] = null;
        environment["Welkin__Secret"] = null;

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        result.AssertFailed(2, "No client named 'default' is configured: the Welkin section has no ApiClient or Secret of its own, so only named clients exist; pick one with --client NAME or --all; the configured clients are 'staging'.");
        Assert.DoesNotContain("(--client)", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
    }

    [Fact]
    public async Task A_Key_Vault_error_nobody_classified_exits_6_with_one_line_and_no_stack_trace()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        // The loopback vault is not under the challenge's resource: the SDK refuses it with an InvalidOperationException.
        environment["KeyVault__DisableChallengeResourceVerification"] = null;

        var refresh = await WelkinTokenCli.RunAsync(environment, "refresh");
        var refreshJson = await WelkinTokenCli.RunAsync(environment, "refresh", "--json");
        var status = await WelkinTokenCli.RunAsync(environment, "status");

        refresh.AssertFailed(6, "vault-rejected:", "Check KeyVault:VaultUri", "KeyVault:DisableChallengeResourceVerification=true");
        status.AssertFailed(6, "vault-rejected:");
        Assert.Equal(6, refreshJson.ExitCode);
        Assert.Equal("vault-rejected", JsonDocument.Parse(refreshJson.StdOut).RootElement.GetProperty("category").GetString());
        Assert.All(new[] { refresh, status, refreshJson }, r => Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal));
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
    }
}
