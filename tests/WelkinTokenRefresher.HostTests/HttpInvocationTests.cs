using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox.Welkin;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests;

/// <summary>
/// RefreshOnDemand and TokenStatus as the host calls them with ASP.NET Core integration: the HTTP request routed and
/// admitted by its function key, forwarded to the worker's own listener, paired with its invocation. Status codes,
/// headers and JSON bodies as the README documents. What the host refuses before forwarding: HostRoutingTests.
/// </summary>
public sealed class HttpInvocationTests : IClassFixture<SandboxWorker>
{
    private const string RefreshPath = "api/token/refresh";
    private const string StatusPath = "api/token/status";
    private readonly SandboxWorker _worker;

    public HttpInvocationTests(SandboxWorker worker)
    {
        _worker = worker;
        _worker.Reset();
    }

    [Fact]
    public async Task Refresh_on_a_due_vault_answers_200_with_the_new_version_as_JSON_and_no_store()
    {
        var sandbox = _worker.Sandbox;
        Vault.SeedDue(sandbox);

        var refreshed = await RefreshAsync("");

        AssertSucceeded(refreshed, 200);
        var body = Json(refreshed.Answer);
        var stored = sandbox.KeyVault.GetLatest(sandbox.SecretName)!;
        Assert.True(body.GetProperty("refreshed").GetBoolean());
        Assert.Equal("refresh-after-elapsed", body.GetProperty("reason").GetString());
        Assert.Equal(sandbox.SecretName, body.GetProperty("secretName").GetString());
        Assert.Equal(stored.Version, body.GetProperty("version").GetString());
        Assert.Equal(stored.ExpiresOn, body.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.False(body.TryGetProperty("token", out _));
        Assert.Null(refreshed.Answer.Header("Retry-After"));
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(sandbox, _worker.Host, refreshed.Answer.Body);
    }

    [Fact]
    public async Task A_force_inside_the_minimum_interval_answers_429_with_Retry_After_and_writes_nothing()
    {
        var sandbox = _worker.Sandbox;
        Vault.SeedFresh(sandbox, age: TimeSpan.FromSeconds(20));
        var before = VaultSnapshot.Take(sandbox);

        var refused = await RefreshAsync("?force=true");

        AssertSucceeded(refused, 429);
        var body = Json(refused.Answer);
        Assert.Equal("force-too-soon", body.GetProperty("reason").GetString());
        var retryAfter = int.Parse(refused.Answer.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture);
        // Refresh:MinForceInterval is one minute and the token is 20 s old (plus however long the call took).
        Assert.InRange(retryAfter, 1, 40);
        Assert.Equal(retryAfter, body.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox));
        Secrets.AssertNoneIn(sandbox, _worker.Host, refused.Answer.Body);
    }

    [Fact]
    public async Task A_force_value_other_than_true_or_false_answers_400_naming_the_parameter()
    {
        var sandbox = _worker.Sandbox;
        Vault.SeedDue(sandbox);
        var before = VaultSnapshot.Take(sandbox);

        var bad = await RefreshAsync("?force=maybe");

        AssertSucceeded(bad, 400);
        var body = Json(bad.Answer);
        Assert.Equal("bad-request", body.GetProperty("category").GetString());
        Assert.Contains("force", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox));
    }

    [Fact]
    public async Task Welkin_rejecting_the_credentials_answers_502_credentials_rejected_and_writes_nothing()
    {
        var sandbox = _worker.Sandbox;
        Vault.SeedDue(sandbox);
        var before = VaultSnapshot.Take(sandbox);
        sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(401));

        var failed = await RefreshAsync("");

        AssertSucceeded(failed, 502);
        var body = Json(failed.Answer);
        Assert.False(body.GetProperty("refreshed").GetBoolean());
        Assert.Equal("welkin-failed", body.GetProperty("reason").GetString());
        Assert.Equal("credentials-rejected", body.GetProperty("category").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
        Assert.Equal(before.LatestVersion, body.GetProperty("version").GetString());
        // Rejected credentials are not retried.
        Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(before, VaultSnapshot.Take(sandbox));
        Secrets.AssertNoneIn(sandbox, _worker.Host, failed.Answer.Body);
    }

    [Fact]
    public async Task Status_answers_200_healthy_for_a_valid_token_and_503_expired_for_an_expired_one()
    {
        var sandbox = _worker.Sandbox;
        var fresh = Vault.SeedFresh(sandbox);
        var healthy = await StatusAsync();
        var expired = Vault.SeedExpired(sandbox);
        var unhealthy = await StatusAsync();

        AssertSucceeded(healthy, 200);
        var ok = Json(healthy.Answer);
        Assert.True(ok.GetProperty("healthy").GetBoolean());
        Assert.Equal("ok", ok.GetProperty("reason").GetString());
        Assert.Equal(fresh.Version, ok.GetProperty("version").GetString());
        Assert.InRange(ok.GetProperty("remainingSeconds").GetInt32(), 3400, 3540);

        AssertSucceeded(unhealthy, 503);
        var bad = Json(unhealthy.Answer);
        Assert.False(bad.GetProperty("healthy").GetBoolean());
        Assert.Equal("expired", bad.GetProperty("reason").GetString());
        Assert.Equal(expired.Version, bad.GetProperty("version").GetString());
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests + sandbox.KeyVault.Counters.Writes);
        Secrets.AssertNoneIn(sandbox, _worker.Host, healthy.Answer.Body, unhealthy.Answer.Body);
    }

    private Task<HttpInvocation> RefreshAsync(string query) =>
        _worker.Host.SendAsync(HttpMethod.Post, RefreshPath + query, _worker.Host.FunctionKey(FunctionsApp.RefreshOnDemand));

    private Task<HttpInvocation> StatusAsync() =>
        _worker.Host.SendAsync(HttpMethod.Get, StatusPath, _worker.Host.FunctionKey(FunctionsApp.TokenStatus));

    /// <summary>The invocation succeeded (an error answer is still a successful invocation) with the README's headers.</summary>
    private static void AssertSucceeded(HttpInvocation invocation, int statusCode)
    {
        Assert.True(invocation.Forwarded, $"The host refused the request itself: {invocation.Answer.StatusCode}");
        Assert.True(invocation.Invocation!.Result.Status == StatusResult.Types.Status.Success, invocation.Invocation.Result.Exception?.Message);
        Assert.True(invocation.Answer.StatusCode == statusCode, $"expected {statusCode}, got {invocation.Answer.StatusCode}: {invocation.Answer.Body}");
        Assert.Equal("application/json; charset=utf-8", invocation.Answer.Header("Content-Type"));
        Assert.Equal("no-store", invocation.Answer.Header("Cache-Control"));
    }

    private static JsonElement Json(HttpAnswer answer)
    {
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.Clone();
    }
}
