using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// The Functions app's registration against the sandbox over the wire, at the seams between clients: status reads the
/// vault without the Welkin credentials, one client's invalid settings or vault error never hides another's answer, and
/// an error nobody classified is JSON with <c>no-store</c>, never a bare 500.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class FunctionsClientSeamTests
{
    private sealed record Answer(int StatusCode, JsonElement Body, string Raw);

    private static Dictionary<string, string?> WithStaging(InProcessSandbox environment) => new()
    {
        ["Welkin:Clients:staging:ApiClient"] = environment.Sandbox.ApiClient,
        ["Welkin:Clients:staging:Secret"] = environment.Sandbox.Secret,
    };

    private static async Task<Answer> CallAsync<TFunction>(FunctionsApp app, string method, string query, Func<TFunction, HttpRequest, Task<IActionResult>> run)
        where TFunction : notnull
    {
        var request = FunctionsApp.Request(method, query);
        var content = Assert.IsType<ContentResult>(await run(app.Create<TFunction>(), request));
        Assert.Equal("application/json; charset=utf-8", content.ContentType);
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        using var document = JsonDocument.Parse(content.Content!);
        return new Answer(content.StatusCode!.Value, document.RootElement.Clone(), content.Content!);
    }

    private static Task<Answer> StatusAsync(FunctionsApp app, string query = "") =>
        CallAsync<TokenStatus>(app, "GET", query, (f, r) => f.Run(r, CancellationToken.None));

    private static Task<Answer> RefreshAsync(FunctionsApp app, string query = "") =>
        CallAsync<RefreshOnDemand>(app, "POST", query, (f, r) => f.Run(r, CancellationToken.None));

    [Fact]
    public async Task Status_in_every_form_reads_the_vault_with_every_Welkin_secret_absent_and_names_the_missing_keys()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        await using (var withSecrets = new FunctionsApp(environment, WithStaging(environment)))
        {
            await withSecrets.Create<RefreshOnSchedule>().Run(new TimerInfo(), CancellationToken.None);
        }

        var requests = environment.Sandbox.Welkin.Counters.TokenRequests;
        var settings = WithStaging(environment);
        settings["Welkin:Secret"] = null;
        settings["Welkin:Clients:staging:Secret"] = null;
        await using var app = new FunctionsApp(environment, settings);

        var plain = await StatusAsync(app);
        var staging = await StatusAsync(app, "?client=staging");
        var all = await StatusAsync(app, "?all=true");

        foreach (var (answer, key) in new[] { (plain, "Welkin:Secret"), (staging, "Welkin:Clients:staging:Secret") })
        {
            Assert.Equal(503, answer.StatusCode);
            Assert.Equal("configuration-invalid", answer.Body.GetProperty("category").GetString());
            Assert.Contains($"{key} is required", answer.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
            // The vault was read without the credentials: the token's metadata is there, and it has an hour to live.
            Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("version").GetString()));
            Assert.InRange(answer.Body.GetProperty("remainingSeconds").GetInt32(), 3500, 3600);
        }

        Assert.Equal(503, all.StatusCode);
        Assert.Equal(["default", "staging"], all.Body.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("client").GetString()));
        Assert.Equal(requests, environment.Sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(plain.Raw + staging.Raw + all.Raw, environment.Sandbox);
    }

    [Fact]
    public async Task One_clients_missing_secret_leaves_the_others_status_healthy()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var settings = WithStaging(environment);
        settings["Welkin:Clients:staging:Secret"] = null;
        await using var app = new FunctionsApp(environment, settings);
        var refreshed = await RefreshAsync(app);

        var plain = await StatusAsync(app);
        var all = await StatusAsync(app, "?all=true");
        var refreshStaging = await RefreshAsync(app, "?client=staging");

        Assert.Equal(200, refreshed.StatusCode);
        Assert.Equal(200, plain.StatusCode);
        Assert.Equal(503, all.StatusCode);
        Assert.Equal([("default", "ok"), ("staging", "configuration-invalid")],
            all.Body.GetProperty("clients").EnumerateArray().Select(c => (c.GetProperty("client").GetString(), c.GetProperty("reason").GetString())));
        // Each client's budget: the default client's one request against its ceiling, no block; staging sent nothing.
        var budgets = all.Body.GetProperty("clients").EnumerateArray().Select(c => (
            c.GetProperty("tokenRequestsLast5Minutes").GetInt32(), c.GetProperty("maxTokenRequestsPer5Minutes").GetInt32(), c.GetProperty("blockedUntil").ValueKind));
        Assert.Equal([(1, 10, JsonValueKind.Null), (0, 10, JsonValueKind.Null)], budgets);
        Assert.Equal(503, refreshStaging.StatusCode);
        Assert.Equal(("staging", "configuration-invalid"), (refreshStaging.Body.GetProperty("client").GetString(), refreshStaging.Body.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task A_vault_error_nobody_classified_is_answered_as_JSON_with_its_category()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        await using var app = new FunctionsApp(environment, new Dictionary<string, string?> { ["KeyVault:DisableChallengeResourceVerification"] = null });

        var refresh = await RefreshAsync(app);
        var status = await StatusAsync(app);

        Assert.Equal((503, "vault-rejected"), (refresh.StatusCode, refresh.Body.GetProperty("category").GetString()));
        Assert.Equal((503, "vault-failed", "vault-rejected"), (status.StatusCode, status.Body.GetProperty("reason").GetString(), status.Body.GetProperty("category").GetString()));
        Assert.Contains("KeyVault:DisableChallengeResourceVerification", refresh.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, environment.Sandbox.Welkin.Counters.TokenRequests);
    }

    [Fact]
    public async Task The_timer_runs_every_client_and_then_fails_naming_only_the_one_whose_vault_failed()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var settings = WithStaging(environment);
        // Nothing listens there: staging's vault is unreachable, the default client's is the sandbox's.
        settings["Welkin:Clients:staging:VaultUri"] = "https://127.0.0.1:1/";
        await using var app = new FunctionsApp(environment, settings);

        var failure = await Assert.ThrowsAsync<ScheduledRefreshFailedException>(() =>
            app.Create<RefreshOnSchedule>().Run(new TimerInfo(), CancellationToken.None));

        Assert.Equal(["staging"], failure.Failures.Select(f => f.Client));
        Assert.StartsWith("Scheduled refresh failed for 1 of 2 client(s): client 'staging' (secret 'welkin-api-token-staging') vault-unavailable:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Welkin:Clients:staging:VaultUri", failure.Message, StringComparison.Ordinal);
        Assert.Single(environment.Sandbox.KeyVault.GetVersions(environment.Sandbox.SecretName));
    }
}
