using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Client;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// A disabled newest version, as someone disables it in the portal, read by the real SecretClient from the sandbox vault
/// (403 <c>Forbidden</c>, inner error <c>SecretDisabled</c>): each side of the one disabled-secret rule end to end.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class DisabledSecretTests
{
    [Fact]
    public async Task The_refresher_refreshes_a_disabled_secret_with_a_new_enabled_version_and_leaves_the_disabled_one_alone()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        // A fresh token, not due by age: only its being disabled makes the refresh due.
        var disabled = Vault.SeedToken(sandbox, sandbox.SecretName, environment.Time.GetUtcNow(), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(55));
        sandbox.KeyVault.SetEnabled(sandbox.SecretName, disabled.Version, enabled: false);
        await using var app = new FunctionsApp(environment);

        var result = Assert.IsType<ContentResult>(await app.Create<RefreshOnDemand>().Run(FunctionsApp.Request("POST"), CancellationToken.None));

        Assert.Equal(200, result.StatusCode);
        using var body = JsonDocument.Parse(result.Content!);
        Assert.True(body.RootElement.GetProperty("refreshed").GetBoolean());
        Assert.Equal("disabled", body.RootElement.GetProperty("reason").GetString());
        var versions = sandbox.KeyVault.GetVersions(sandbox.SecretName);
        Assert.Equal(2, versions.Count);
        Assert.Equal((disabled.Version, false, disabled.Value), (versions[0].Version, versions[0].Enabled, versions[0].Value));
        Assert.True(versions[1].Enabled);
        Assert.Equal(versions[1].Version, body.RootElement.GetProperty("version").GetString());
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
    }

    [Fact]
    public async Task The_client_library_reports_Disabled_without_the_token()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        var disabled = Vault.SeedToken(sandbox, sandbox.SecretName, environment.Time.GetUtcNow(), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(55));
        sandbox.KeyVault.SetEnabled(sandbox.SecretName, disabled.Version, enabled: false);
        var client = new SecretClient(sandbox.VaultUri, new DefaultAzureCredential(), new SecretClientOptions
        {
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(sandbox.CreateTrustingHandler()),
        });
        var source = new KeyVaultWelkinTokenSource(
            client,
            Options.Create(new WelkinTokenSourceOptions { VaultUri = sandbox.VaultUri, SecretName = sandbox.SecretName }),
            environment.Time,
            NullLogger<KeyVaultWelkinTokenSource>.Instance);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.Disabled, failure.Reason);
        Assert.Contains("is disabled", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(disabled.Value, failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);
    }
}
