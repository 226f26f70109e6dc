using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// Integration tests: RefreshOnDemand and TokenStatus created from the Functions app's registration and called in this
/// process (no worker, no HTTP pipeline) against the sandbox: status codes, headers and JSON bodies. The same functions
/// as a worker process behind the host stand-in are in tests/WelkinTokenRefresher.HostTests.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class FunctionsHttpIntegrationTests
{
    private sealed record Answer(int StatusCode, JsonElement Body, IHeaderDictionary Headers, string Raw);

    private static async Task<Answer> RefreshAsync(FunctionsApp app, string? query = null)
    {
        var request = FunctionsApp.Request("POST", query);
        var result = await app.Create<RefreshOnDemand>().Run(request, CancellationToken.None);
        return Read(result, request);
    }

    private static async Task<Answer> StatusAsync(FunctionsApp app)
    {
        var request = FunctionsApp.Request("GET");
        var result = await app.Create<TokenStatus>().Run(request, CancellationToken.None);
        return Read(result, request);
    }

    private static Answer Read(IActionResult result, HttpRequest request)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.StartsWith("application/json", content.ContentType, StringComparison.Ordinal);
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        using var document = JsonDocument.Parse(content.Content!);
        return new Answer(content.StatusCode!.Value, document.RootElement.Clone(), request.HttpContext.Response.Headers, content.Content!);
    }

    [Fact]
    public async Task Refresh_answers_200_with_the_new_version_then_not_due_then_forced_once_the_force_interval_passed()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);

        var refreshed = await RefreshAsync(app);
        var stored = sandbox.KeyVault.GetLatest(sandbox.SecretName)!;
        Assert.Equal(200, refreshed.StatusCode);
        Assert.True(refreshed.Body.GetProperty("refreshed").GetBoolean());
        Assert.Equal("no-token", refreshed.Body.GetProperty("reason").GetString());
        Assert.Equal(sandbox.SecretName, refreshed.Body.GetProperty("secretName").GetString());
        Assert.Equal(stored.Version, refreshed.Body.GetProperty("version").GetString());
        Assert.Equal(stored.ExpiresOn, refreshed.Body.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(environment.Time.GetUtcNow().ToUnixTimeSeconds(), refreshed.Body.GetProperty("issuedAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.False(refreshed.Body.TryGetProperty("token", out _));

        var notDue = await RefreshAsync(app, "?force=false");
        Assert.Equal(200, notDue.StatusCode);
        Assert.False(notDue.Body.GetProperty("refreshed").GetBoolean());
        Assert.Equal("not-due", notDue.Body.GetProperty("reason").GetString());
        Assert.Equal(stored.Version, notDue.Body.GetProperty("version").GetString());

        environment.Time.Advance(TimeSpan.FromMinutes(2));
        var forced = await RefreshAsync(app, "?force=true");
        Assert.Equal(200, forced.StatusCode);
        Assert.Equal("forced", forced.Body.GetProperty("reason").GetString());
        Assert.Equal(sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version, forced.Body.GetProperty("version").GetString());
        Assert.Equal(2, sandbox.KeyVault.GetVersions(sandbox.SecretName).Count);

        foreach (var answer in new[] { refreshed, notDue, forced })
        {
            Secrets.AssertNoneIn(answer.Raw, sandbox);
        }
    }

    [Fact]
    public async Task A_force_inside_the_minimum_interval_answers_429_with_Retry_After_and_writes_nothing()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        await RefreshAsync(app);
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        environment.Time.Advance(TimeSpan.FromSeconds(20));

        var refused = await RefreshAsync(app, "?force=true");

        Assert.Equal(429, refused.StatusCode);
        Assert.Equal("force-too-soon", refused.Body.GetProperty("reason").GetString());
        Assert.Equal("40", refused.Headers.RetryAfter.ToString());
        Assert.Equal(40, refused.Body.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
    }

    [Fact]
    public async Task Welkin_429_answers_429_with_Welkins_Retry_After_and_the_next_call_is_not_sent()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        Vault.SeedDueToken(sandbox, sandbox.SecretName, environment.Time.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429, TimeSpan.FromMinutes(3)));

        var limited = await RefreshAsync(app);
        var again = await RefreshAsync(app);

        Assert.Equal(429, limited.StatusCode);
        Assert.Equal("rate-limited", limited.Body.GetProperty("reason").GetString());
        Assert.Equal("180", limited.Headers.RetryAfter.ToString());
        Assert.Equal(429, again.StatusCode);
        // Asking a rate-limited token endpoint again would extend the block: the second refresh never reached Welkin.
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
    }

    public static TheoryData<string, int, string> WelkinFailures => new()
    {
        { "401", 502, "credentials-rejected" },
        { "403", 502, "credentials-rejected" },
        { "503", 502, "welkin-unavailable" },
        { "not-json", 502, "invalid-response" },
    };

    [Theory]
    [MemberData(nameof(WelkinFailures))]
    public async Task Welkin_failures_answer_502_with_their_category_and_write_nothing(string fault, int expectedStatus, string expectedCategory)
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        Vault.SeedDueToken(sandbox, sandbox.SecretName, environment.Time.GetUtcNow());
        var before = VaultSnapshot.Take(sandbox, sandbox.SecretName);
        sandbox.Welkin.Faults.Enqueue(fault == "not-json" ? WelkinFault.Malformed(WelkinFaultKind.NotJson) : WelkinFault.Status(int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture)), times: 3);

        var failed = await RefreshAsync(app);

        Assert.Equal(expectedStatus, failed.StatusCode);
        Assert.False(failed.Body.GetProperty("refreshed").GetBoolean());
        Assert.Equal("welkin-failed", failed.Body.GetProperty("reason").GetString());
        Assert.Equal(expectedCategory, failed.Body.GetProperty("category").GetString());
        Assert.False(string.IsNullOrWhiteSpace(failed.Body.GetProperty("message").GetString()));
        // The answer still names the token the vault holds, which keeps working.
        Assert.Equal(before.LatestVersion, failed.Body.GetProperty("version").GetString());
        Assert.Equal(before, VaultSnapshot.Take(sandbox, sandbox.SecretName));
        Secrets.AssertNoneIn(failed.Raw, sandbox);
    }

    [Fact]
    public async Task A_Key_Vault_failure_answers_503_and_a_bad_force_value_400()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        sandbox.KeyVault.Access.DefaultRole = KeyVaultRole.SecretsUser;

        var forbidden = await RefreshAsync(app);
        var badForce = await RefreshAsync(app, "?force=yes");

        Assert.Equal(503, forbidden.StatusCode);
        Assert.Equal("vault-forbidden", forbidden.Body.GetProperty("category").GetString());
        Assert.Contains("Key Vault Secrets Officer", forbidden.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, badForce.StatusCode);
        Assert.Empty(sandbox.KeyVault.GetVersions(sandbox.SecretName));
        Secrets.AssertNoneIn(forbidden.Raw, sandbox);
    }

    [Fact]
    public async Task Status_answers_200_while_the_token_has_five_minutes_to_live_then_503()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);

        var empty = await StatusAsync(app);
        await RefreshAsync(app);
        var healthy = await StatusAsync(app);
        environment.Time.Advance(TimeSpan.FromMinutes(56));
        var expiring = await StatusAsync(app);

        Assert.Equal((503, "no-token"), (empty.StatusCode, empty.Body.GetProperty("reason").GetString()));
        Assert.Equal((200, "ok"), (healthy.StatusCode, healthy.Body.GetProperty("reason").GetString()));
        Assert.True(healthy.Body.GetProperty("healthy").GetBoolean());
        Assert.InRange(healthy.Body.GetProperty("remainingSeconds").GetInt32(), 3599, 3600);
        Assert.Equal(sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version, healthy.Body.GetProperty("version").GetString());
        Assert.Equal((503, "expiring-soon"), (expiring.StatusCode, expiring.Body.GetProperty("reason").GetString()));
        Secrets.AssertNoneIn(healthy.Raw + expiring.Raw, sandbox);
    }
}
