using System.Text.Json;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// <c>welkin-token refresh</c> as a separate process against the sandbox: exit codes 0, 2, 3, 4 and 5, what it prints,
/// what it costs, and that a failed cycle leaves the vault as it was.
/// </summary>
public sealed class CliRefreshTests
{
    [Fact]
    public async Task Refresh_stores_a_token_and_exits_0_then_a_second_run_is_not_due_and_costs_one_read()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);

        var refreshed = await WelkinTokenCli.RunAsync(environment, "refresh");

        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        var stored = Assert.Single(sandbox.KeyVault.GetVersions(sandbox.SecretName));
        Assert.StartsWith($"Fetched a new token (the vault had none): secret {sandbox.SecretName} version {stored.Version}", refreshed.StdOut, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 1L), (sandbox.KeyVault.Counters[KeyVaultOperation.GetSecret], sandbox.Welkin.Counters.TokenRequests, sandbox.KeyVault.Counters[KeyVaultOperation.SetSecret]));

        sandbox.KeyVault.ResetCounters();
        sandbox.Welkin.ResetCounters();
        var notDue = await WelkinTokenCli.RunAsync(environment, "refresh", "--json");

        Assert.True(notDue.ExitCode == 0, notDue.ToString());
        using var json = JsonDocument.Parse(notDue.StdOut);
        Assert.False(json.RootElement.GetProperty("refreshed").GetBoolean());
        Assert.Equal("not-due", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(stored.Version, json.RootElement.GetProperty("version").GetString());
        Assert.Equal(stored.ExpiresOn, json.RootElement.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(
            (1L, 0L, 0L, 0L),
            (sandbox.KeyVault.Counters.Reads, sandbox.KeyVault.Counters.Writes, sandbox.KeyVault.Counters[KeyVaultOperation.ListSecretVersions], sandbox.Welkin.Counters.TokenRequests));
        Assert.Equal("", notDue.StdErr);
        Assert.Single(sandbox.KeyVault.GetVersions(sandbox.SecretName));
        Secrets.AssertNoneIn(refreshed.ToString() + notDue, sandbox);
    }

    [Fact]
    public async Task Force_on_a_due_vault_refreshes_with_json_output_and_a_second_force_is_refused_with_exit_4()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);

        var forced = await WelkinTokenCli.RunAsync(environment, "refresh", "--force", "--json");
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        var tooSoon = await WelkinTokenCli.RunAsync(environment, "refresh", "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        using var json = JsonDocument.Parse(forced.StdOut);
        Assert.True(json.RootElement.GetProperty("refreshed").GetBoolean());
        Assert.Equal("forced", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(sandbox.SecretName, json.RootElement.GetProperty("secretName").GetString());
        Assert.Equal(before.LatestVersion, json.RootElement.GetProperty("version").GetString());
        Assert.True(json.RootElement.TryGetProperty("issuedAt", out _));
        Assert.False(json.RootElement.TryGetProperty("token", out _));

        Assert.True(tooSoon.ExitCode == 4, tooSoon.ToString());
        Assert.StartsWith("Not refreshed (force-too-soon)", tooSoon.StdOut, StringComparison.Ordinal);
        Assert.Contains("Refresh:MinForceInterval", tooSoon.StdErr, StringComparison.Ordinal);
        Assert.Matches(@"Retry after \d+ s\.", tooSoon.StdErr);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(forced.ToString() + tooSoon, sandbox);
    }

    [Fact]
    public async Task Settings_from_environment_variables_alone_bind_in_every_section()
    {
        // Reflection-based binding binds nothing once trimmed: the native tool would then exit 2 "KeyVault:VaultUri is
        // required". Every value here differs from its default, so each is seen to take effect.
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TokenPath = "/v2/auth/token" });
        var secretName = Vault.NewSecretName();
        var environment = WelkinTokenCli.Environment(sandbox, secretName);
        environment["Refresh__RefreshAfter"] = "00:06:00";
        environment["Refresh__MinForceInterval"] = "00:00:30";
        Vault.SeedToken(sandbox, secretName, TimeProvider.System.GetUtcNow(), age: TimeSpan.FromMinutes(7), expiresIn: TimeSpan.FromMinutes(53));

        var result = await WelkinTokenCli.RunAsync(environment, "refresh", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal(RefreshReasons.RefreshAfterElapsed, json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(secretName, json.RootElement.GetProperty("secretName").GetString());
        Assert.Equal(2, sandbox.KeyVault.GetVersions(secretName).Count);
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task Missing_configuration_exits_2_naming_every_missing_key_and_touches_nothing()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        environment.Remove("Welkin__Secret");
        environment.Remove("KeyVault__VaultUri");

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.StdOut);
        Assert.Contains("Welkin:Secret", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("KeyVault:VaultUri", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(0, sandbox.KeyVault.Counters.Challenges + sandbox.KeyVault.Counters.Reads);
    }

    [Fact]
    public async Task A_secret_pasted_into_a_typed_setting_exits_2_naming_the_setting_and_never_repeats_the_value()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        environment["Welkin__Timeout"] = sandbox.Secret;

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Welkin:Timeout has a value that cannot be read as TimeSpan (environment variable Welkin__Timeout)", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task A_usage_error_exits_2_and_a_secret_is_never_an_option()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        var unknown = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh", "--secret", "not-taken-from-arguments");

        unknown.AssertFailed(2, "--help");
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
    }

    public static TheoryData<string> RejectedCredentials => ["401", "403", "rotated"];

    [Theory]
    [MemberData(nameof(RejectedCredentials))]
    public async Task Rejected_credentials_exit_3_without_retrying_and_write_nothing(string how)
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        var configuredSecret = sandbox.Secret;
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        if (how == "rotated")
        {
            sandbox.Welkin.RotateSecret();
        }
        else
        {
            sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(int.Parse(how, System.Globalization.CultureInfo.InvariantCulture)));
        }

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("Not refreshed (credentials-rejected)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("credentials-rejected", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Secrets.AssertNoneIn(result.ToString(), sandbox, configuredSecret);
    }

    [Fact]
    public async Task Welkin_429_exits_4_with_its_Retry_After_and_writes_nothing()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429, TimeSpan.FromSeconds(240)));

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.StartsWith("Not refreshed (rate-limited)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Retry after 240 s.", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task A_Welkin_outage_exits_5_after_two_retries_and_writes_nothing()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.Welkin.StartOutage(statusCode: 502);

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh");

        result.AssertFailed(5, "welkin-unavailable");
        Assert.Equal(3, sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.Outage]);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task A_Welkin_that_never_answers_exits_5_within_the_configured_timeout()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        environment["Welkin__Timeout"] = "00:00:01";
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        // Far beyond the runner's 60 s deadline: only the CLI's own timeout ends this run in time.
        sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromMinutes(5)), times: 3);

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        result.AssertFailed(5, "welkin-unavailable");
        // At most the first attempt and two retries; on a loaded machine an attempt can time out before its request arrives.
        Assert.InRange(sandbox.Welkin.Counters.TokenRequests, 1, 3);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
    }

    public static TheoryData<WelkinFaultKind> MalformedAnswers =>
        [WelkinFaultKind.NotJson, WelkinFaultKind.Html, WelkinFaultKind.JsonWithoutToken, WelkinFaultKind.ExpiryWithinMinute];

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task A_malformed_Welkin_answer_exits_5_without_retrying_and_writes_nothing(WelkinFaultKind kind)
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(kind));

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh");

        result.AssertFailed(5, "invalid-response");
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task Refresh_sandbox_runs_the_whole_flow_in_one_process_and_prints_no_secret()
    {
        using var workspace = CliWorkspace.Create();
        var result = await WelkinTokenCli.RunAsync(workspace, new Dictionary<string, string?>(), "refresh", "--sandbox");

        Assert.True(result.ExitCode == 0, result.ToString());
        // The sandbox's refresh locks and budget went with it: nothing counts against real runs of these secret names.
        Assert.False(Directory.Exists(workspace.LockDirectory), $"The sandbox left {workspace.LockDirectory}.");
        // Two API clients side by side: default on the auth-token API, live on the api-clients API, each with its own Welkin.
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("[default] Fetched a new token (the vault had none): secret welkin-api-token version", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("[live] Fetched a new token (the vault had none): secret welkin-api-token-live version", lines[1], StringComparison.Ordinal);
        Assert.Contains("3/3 Call: GET /v1/ping", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("[default] 200 OK", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("[live] 200 OK", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", result.ToString(), StringComparison.Ordinal);
    }
}
