using WelkinTokenRefresher.ExampleTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.ExampleTests;

/// <summary>
/// The C# consumer example (docs/examples/csharp: <c>AddWelkinTokenSource(builder.Configuration.GetSection("KeyVault"))</c>)
/// configured only with the environment <c>welkin-token sandbox</c> prints.
/// </summary>
public sealed class CSharpConsumerExampleTests
{
    [Fact]
    public async Task A_console_app_configured_only_with_the_sandboxs_printed_environment_reads_the_token()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var token = await WelkinTokens.IssueAsync(sandbox);
        var stored = sandbox.KeyVault.Seed(sandbox.SecretName, token.Value, expiresOn: token.ExpiresAt);

        var (exitCode, stdout, stderr) = await ConsoleExample.RunAsync(sandbox);

        Assert.True(exitCode == 0, $"exit code {exitCode}: {stderr}");
        Assert.Contains($"Welkin token version {stored.Version}, expires ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Value, stdout + stderr, StringComparison.Ordinal);
        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);
    }

    [Fact]
    public async Task Without_the_vault_setting_it_names_the_full_key_and_environment_variable_it_looked_for()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        var (exitCode, _, stderr) = await ConsoleExample.RunAsync(sandbox, "KeyVault__VaultUri");

        Assert.Equal(2, exitCode);
        Assert.Contains("KeyVault:VaultUri (environment variable KeyVault__VaultUri) is required", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_sandboxs_challenge_setting_the_failure_names_that_setting_not_the_network()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var token = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, token.Value, expiresOn: token.ExpiresAt);

        var (exitCode, _, stderr) = await ConsoleExample.RunAsync(sandbox, "KeyVault__DisableChallengeResourceVerification");

        Assert.Equal(1, exitCode);
        Assert.Contains("AuthenticationFailed: ", stderr, StringComparison.Ordinal);
        Assert.Contains("set KeyVault:DisableChallengeResourceVerification=true (environment variable KeyVault__DisableChallengeResourceVerification); never in Azure", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("network access", stderr, StringComparison.Ordinal);
    }
}
