using System.Text.Json;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// <c>welkin-token refresh</c> and <c>status</c> as separate processes when Key Vault fails (exit 6, saying which failure)
/// and the status exit codes 0, 1 and 6.
/// </summary>
public sealed class CliVaultTests
{
    [Fact]
    public async Task Forbidden_to_write_exits_6_naming_the_role_and_the_vault_keeps_its_token()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.KeyVault.Access.DefaultRole = KeyVaultRole.SecretsUser;

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh");

        result.AssertFailed(6, "vault-forbidden", "Key Vault Secrets Officer");
        Assert.Equal(1, sandbox.KeyVault.Counters.Forbidden);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task Forbidden_to_read_exits_6_before_Welkin_is_called()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        sandbox.KeyVault.Access.DefaultRole = KeyVaultRole.None;

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh");

        result.AssertFailed(6, "vault-forbidden");
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Assert.Empty(sandbox.KeyVault.GetVersions(sandbox.SecretName));
    }

    [Fact]
    public async Task Throttled_exits_6_after_the_SDK_retries_and_writes_nothing()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Throttled(KeyVaultOperation.GetSecret, TimeSpan.FromSeconds(1)), times: 3);

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh");

        result.AssertFailed(6, "vault-throttled");
        Assert.Equal(3, sandbox.KeyVault.Counters.FaultsApplied);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
    }

    [Fact]
    public async Task An_unreachable_vault_exits_6_saying_so()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        environment["KeyVault__VaultUri"] = $"https://127.0.0.1:{WelkinTokenCli.ClosedLoopbackPort()}/";

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        result.AssertFailed(6, "vault-unavailable", "could not be reached");
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
    }

    [Fact]
    public async Task No_Azure_credential_exits_6_saying_so()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        environment.Remove("IDENTITY_ENDPOINT");
        environment.Remove("IDENTITY_HEADER");
        // Deployed-service credentials only (no developer tool logins of whoever runs the tests), and the instance
        // metadata endpoint the managed identity credential probes moved to a closed loopback port: the test stays on loopback.
        environment["AZURE_TOKEN_CREDENTIALS"] = "prod";
        environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = $"http://127.0.0.1:{WelkinTokenCli.ClosedLoopbackPort()}";

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        result.AssertFailed(6, "vault-no-credential");
        Assert.Equal(0, sandbox.KeyVault.Counters.Reads + sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(0, sandbox.Identity.Counters.TokenRequests);
    }

    [Fact]
    public async Task Key_Vault_failures_are_explained_by_the_CLIs_own_diagnostics_not_by_Azure_SDK_events()
    {
        // The native tool has no EventSource, so the Azure SDK's events never reach its logger: every build must say what
        // went wrong from the exceptions alone, and no build may print SDK event lines the native one cannot.
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        sandbox.KeyVault.Access.DefaultRole = KeyVaultRole.None;
        var forbidden = await WelkinTokenCli.RunAsync(environment, "refresh");
        environment.Remove("IDENTITY_ENDPOINT");
        environment.Remove("IDENTITY_HEADER");
        environment["AZURE_TOKEN_CREDENTIALS"] = "prod";
        environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = $"http://127.0.0.1:{WelkinTokenCli.ClosedLoopbackPort()}";
        var noCredential = await WelkinTokenCli.RunAsync(environment, "status");

        forbidden.AssertFailed(6, "vault-forbidden", "Key Vault Secrets Officer");
        noCredential.AssertFailed(6, "vault-no-credential", "managed identity", "az login");
        Assert.DoesNotMatch(@"(?m)^\w+: Azure[.-]", forbidden.StdErr + noCredential.StdErr);
        Secrets.AssertNoneIn(forbidden.ToString() + noCredential, sandbox);
    }

    [Fact]
    public async Task Status_exits_1_on_an_empty_vault_then_0_after_a_refresh_with_the_tokens_metadata()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);

        var empty = await WelkinTokenCli.RunAsync(environment, "status");
        await WelkinTokenCli.RunAsync(environment, "refresh");
        var healthy = await WelkinTokenCli.RunAsync(environment, "status", "--json");

        Assert.True(empty.ExitCode == 1, empty.ToString());
        Assert.StartsWith("Unhealthy, the vault holds no token: secret", empty.StdOut, StringComparison.Ordinal);
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        using var json = JsonDocument.Parse(healthy.StdOut);
        Assert.True(json.RootElement.GetProperty("healthy").GetBoolean());
        Assert.Equal(sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version, json.RootElement.GetProperty("version").GetString());
        Assert.InRange(json.RootElement.GetProperty("remainingSeconds").GetInt32(), 3000, 3600);
        Secrets.AssertNoneIn(empty.ToString() + healthy, sandbox);
    }

    [Fact]
    public async Task Status_exits_1_for_a_token_with_less_than_five_minutes_left()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(57), TimeSpan.FromMinutes(3));

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "status");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("Unhealthy, under 5 minutes left: secret", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    [Fact]
    public async Task Status_exits_6_on_a_vault_error_naming_the_readers_role()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        sandbox.KeyVault.Access.DefaultRole = KeyVaultRole.None;

        var result = await WelkinTokenCli.RunAsync(environment, "status");

        result.AssertFailed(6, "vault-forbidden", "Key Vault Secrets User");
    }

    [Fact]
    public async Task Status_needs_only_the_vault_settings_not_the_Welkin_credentials()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        await WelkinTokenCli.RunAsync(environment, "refresh");
        environment.Remove("Welkin__ApiClient");
        environment.Remove("Welkin__Secret");

        var result = await WelkinTokenCli.RunAsync(environment, "status");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Healthy: secret", result.StdOut, StringComparison.Ordinal);
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }
}
