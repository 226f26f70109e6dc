using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// <c>Welkin:Api</c> = <c>api-clients</c> over the wire: the Functions app's registration against the sandbox emulator's
/// <c>POST /{tenant}/admin/api_clients/{apiClient}</c>, with its answer without expiry and its list-shaped errors.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class ApiClientsApiTests
{
    private static Dictionary<string, string?> ApiClients(InProcessSandbox environment) => new()
    {
        ["Welkin:Api"] = "api-clients",
        ["Welkin:Tenant"] = environment.Sandbox.Tenant,
    };

    private static async Task<(int Status, JsonElement Body, string Raw)> RefreshAsync(FunctionsApp app)
    {
        var content = Assert.IsType<ContentResult>(await app.Create<RefreshOnDemand>().Run(FunctionsApp.Request("POST"), CancellationToken.None));
        using var document = JsonDocument.Parse(content.Content!);
        return (content.StatusCode!.Value, document.RootElement.Clone(), content.Content!);
    }

    [Fact]
    public async Task A_refresh_stores_the_token_with_the_expiry_of_its_exp_claim()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment, ApiClients(environment));

        var (status, body, raw) = await RefreshAsync(app);

        var stored = sandbox.KeyVault.GetLatest(sandbox.SecretName)!;
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("refreshed").GetBoolean());
        Assert.Equal(1, sandbox.Welkin.Counters.TokensIssued);
        Assert.Equal(environment.Time.GetUtcNow().ToUnixTimeSeconds() + 3600, stored.ExpiresOn!.Value.ToUnixTimeSeconds());
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 1009);
        Secrets.AssertNoneIn(raw + string.Join('\n', app.Logs.GetSnapshot().Select(r => r.Message)), sandbox);
    }

    [Fact]
    public async Task A_disabled_client_is_credentials_rejected_and_nothing_is_written()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        sandbox.Welkin.ClientEnabled = false;
        await using var app = new FunctionsApp(environment, ApiClients(environment));

        var (status, body, raw) = await RefreshAsync(app);

        Assert.Equal(502, status);
        Assert.Equal("credentials-rejected", body.GetProperty("category").GetString());
        Assert.Contains("\"enabled\": false", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(sandbox.KeyVault.GetLatest(sandbox.SecretName));
        Secrets.AssertNoneIn(raw + string.Join('\n', app.Logs.GetSnapshot().Select(r => r.Message)), sandbox);
    }

    [Fact]
    public async Task A_wrong_secret_is_credentials_rejected_naming_the_list_shaped_401s_error_code()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        var settings = ApiClients(environment);
        settings["Welkin:Secret"] = "not-the-secret";
        await using var app = new FunctionsApp(environment, settings);

        var (status, body, _) = await RefreshAsync(app);

        Assert.Equal(502, status);
        Assert.Equal("credentials-rejected", body.GetProperty("category").GetString());
        Assert.Contains("401 Unauthorized, NOT_VALID_JSON_WEB_TOKEN", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Null(sandbox.KeyVault.GetLatest(sandbox.SecretName));
    }
}
