using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// The bad-input catalogue of docs/reliability.md: each case through the Functions app's own registration and its
/// <c>RefreshOnDemand</c> function, against the sandbox Welkin over loopback and a vault holding a good token. Every case
/// checks the answer, that the good token is untouched, and that no secret or token appears in any output.
/// </summary>
public sealed class BadInputCatalogueTests : IAsyncLifetime
{
    private readonly WelkinRequestLog _requests = new();
    private WelkinSandbox _sandbox = null!;
    private InMemorySecretClient _vault = null!;
    private string _goodVersion = "";

    public async Task InitializeAsync()
    {
        _sandbox = await WelkinSandbox.StartAsync();
        _vault = TestVault.WithDueToken(TimeProvider.System);
        _goodVersion = _vault.Latest!.Properties.Version;
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Theory]
    [InlineData(WelkinFaultKind.NotJson)]
    [InlineData(WelkinFaultKind.Html)]
    [InlineData(WelkinFaultKind.EmptyBody)]
    [InlineData(WelkinFaultKind.JsonWithoutToken)]
    [InlineData(WelkinFaultKind.EmptyToken)]
    [InlineData(WelkinFaultKind.ExpiryInPast)]
    [InlineData(WelkinFaultKind.ExpiryWithinMinute)]
    [InlineData(WelkinFaultKind.HugeBody)]
    [InlineData(WelkinFaultKind.OversizedToken)]
    public async Task Malformed_Welkin_answer_is_an_invalid_response_and_writes_nothing(WelkinFaultKind kind)
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(kind), 3);
        using var app = Start();

        var answer = await app.PostRefreshAsync("?force=true");

        AssertFailure(app, answer, 502, "invalid-response");
        Assert.Equal(1, _requests.Count);
    }

    [Theory]
    [InlineData(WelkinFaultKind.MissingExpiresAt, 1005)]
    [InlineData(WelkinFaultKind.UnparseableExpiresAt, 1007)]
    public async Task Missing_or_unparseable_expiresAt_falls_back_to_the_exp_claim_with_a_warning(WelkinFaultKind kind, int warningId)
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Malformed(kind));
        using var app = Start();

        var answer = await app.PostRefreshAsync("?force=true");

        Assert.Equal(200, answer.Status);
        Assert.True(Json(answer).GetProperty("refreshed").GetBoolean());
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == warningId);
        var written = _vault.Latest!;
        Assert.NotEqual(_goodVersion, written.Properties.Version);
        Assert.InRange(written.Properties.ExpiresOn!.Value - TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        AssertNoSecrets(app, answer);
    }

    [Fact]
    public async Task Slow_drip_of_the_body_past_the_timeout_is_a_transient_failure()
    {
        // On every attempt: whether the drip trips the body-read deadline or the per-attempt timeout, it must fail cleanly.
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowBody(TimeSpan.FromSeconds(5)), 3);
        using var app = Start(s => s["Welkin:Timeout"] = "00:00:01");

        var answer = await app.PostRefreshAsync("?force=true");

        AssertFailure(app, answer, 502, "welkin-unavailable");
    }

    [Fact]
    public async Task Headers_later_than_the_timeout_on_every_attempt_is_a_transient_failure_after_two_retries()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromSeconds(3)), 3);
        using var app = Start(s => s["Welkin:Timeout"] = "00:00:01");

        var answer = await app.PostRefreshAsync("?force=true");

        AssertFailure(app, answer, 502, "welkin-unavailable");
        Assert.Equal(3, _requests.Count);
    }

    [Fact]
    public async Task Reset_connection_on_every_attempt_is_a_transient_failure_after_two_retries()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.ConnectionReset(), 3);
        using var app = Start();

        var answer = await app.PostRefreshAsync("?force=true");

        AssertFailure(app, answer, 502, "welkin-unavailable");
        Assert.Equal(3, _requests.Count);
    }

    [Theory]
    [InlineData(400, 502, "credentials-rejected", 1)]
    [InlineData(401, 502, "credentials-rejected", 1)]
    [InlineData(403, 502, "credentials-rejected", 1)]
    [InlineData(404, 502, "invalid-response", 1)]
    [InlineData(408, 502, "welkin-unavailable", 3)]
    [InlineData(500, 502, "welkin-unavailable", 3)]
    [InlineData(502, 502, "welkin-unavailable", 3)]
    [InlineData(503, 502, "welkin-unavailable", 3)]
    [InlineData(504, 502, "welkin-unavailable", 3)]
    public async Task Welkin_status_is_classified_retried_only_when_transient_and_writes_nothing(int welkinStatus, int httpStatus, string category, int attempts)
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(welkinStatus), 3);
        using var app = Start();

        var answer = await app.PostRefreshAsync("?force=true");

        AssertFailure(app, answer, httpStatus, category);
        Assert.Equal(attempts, _requests.Count);
    }

    [Theory]
    [InlineData(120, 120)]
    [InlineData(null, 300)]
    public async Task Welkin_429_is_answered_429_with_its_Retry_After_or_five_minutes_and_blocks_further_requests(int? retryAfterSeconds, int expectedRetryAfter)
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429, retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null));
        using var app = Start();

        var answer = await app.PostRefreshAsync("?force=true");
        var again = await app.PostRefreshAsync("?force=true");

        AssertFailure(app, answer, 429, "rate-limited");
        Assert.InRange(int.Parse(answer.RetryAfter, System.Globalization.CultureInfo.InvariantCulture), expectedRetryAfter - 2, expectedRetryAfter);
        Assert.Equal(429, again.Status);
        Assert.Equal(1, _requests.Count);
    }

    [Theory]
    [InlineData(VaultOperation.Read, "401", 503, "vault-authentication-failed")]
    [InlineData(VaultOperation.Read, "403", 503, "vault-forbidden")]
    [InlineData(VaultOperation.Read, "429", 503, "vault-throttled")]
    [InlineData(VaultOperation.Read, "500", 503, "vault-unavailable")]
    [InlineData(VaultOperation.Read, "timeout", 503, "vault-unavailable")]
    [InlineData(VaultOperation.Read, "tls", 503, "vault-unavailable")]
    [InlineData(VaultOperation.Write, "401", 503, "vault-authentication-failed")]
    [InlineData(VaultOperation.Write, "403", 503, "vault-forbidden")]
    [InlineData(VaultOperation.Write, "409", 503, "vault-rejected")]
    [InlineData(VaultOperation.Write, "429", 503, "vault-throttled")]
    [InlineData(VaultOperation.Write, "500", 503, "vault-unavailable")]
    [InlineData(VaultOperation.Write, "timeout", 503, "vault-unavailable")]
    [InlineData(VaultOperation.Write, "tls", 503, "vault-unavailable")]
    public async Task Key_Vault_failure_is_answered_503_with_its_category_and_leaves_the_good_token(VaultOperation operation, string fault, int httpStatus, string category)
    {
        _vault.FailNext(operation, () => VaultFaults.ByName(fault));
        using var app = Start();

        var answer = await app.PostRefreshAsync("?force=true");

        Assert.Equal(httpStatus, answer.Status);
        Assert.Equal(category, Json(answer).GetProperty("category").GetString());
        Assert.False(string.IsNullOrWhiteSpace(Json(answer).GetProperty("message").GetString()));
        Assert.Equal(_goodVersion, _vault.Latest!.Properties.Version);
        Assert.Equal(operation == VaultOperation.Read ? 0 : 1, _requests.Count);
        AssertNoSecrets(app, answer);
    }

    [Fact]
    public async Task Key_Vault_404_on_read_means_no_token_yet_and_the_first_version_is_written()
    {
        _vault.FailNext(VaultOperation.Read, () => VaultFaults.ByName("404"));
        using var app = Start();

        var answer = await app.PostRefreshAsync();

        Assert.Equal(200, answer.Status);
        Assert.Equal("no-token", Json(answer).GetProperty("reason").GetString());
        Assert.Equal(1, _vault.Writes);
        AssertNoSecrets(app, answer);
    }

    [Theory]
    [InlineData("Welkin:ApiClient", "", "Welkin:ApiClient")]
    [InlineData("Welkin:Secret", "", "Welkin:Secret")]
    [InlineData("KeyVault:VaultUri", "", "KeyVault:VaultUri")]
    [InlineData("KeyVault:VaultUri", "not a url", "KeyVault:VaultUri")]
    [InlineData("KeyVault:VaultUri", "http://reliability.vault.azure.net/", "KeyVault:VaultUri")]
    [InlineData("Welkin:BaseUrl", "welkin.example", "Welkin:BaseUrl")]
    [InlineData("Welkin:TokenPath", "auth/token", "Welkin:TokenPath")]
    [InlineData("Refresh:Schedule", "every 5 minutes", "Refresh:Schedule")]
    [InlineData("Refresh:RefreshAfter", "-00:50:00", "Refresh:RefreshAfter")]
    [InlineData("Refresh:RefreshBeforeExpiry", "-00:10:00", "Refresh:RefreshBeforeExpiry")]
    [InlineData("Refresh:MinForceInterval", "01:00:00", "Refresh:MinForceInterval")]
    [InlineData("Welkin:Timeout", "00:00:00", "Welkin:Timeout")]
    [InlineData("Welkin:MaxTokenRequestsPer5Minutes", "101", "Welkin:MaxTokenRequestsPer5Minutes")]
    public void Configuration_error_stops_the_start_with_a_message_naming_the_key(string key, string value, string named)
    {
        using var app = Start(s => s[key] = value);

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _vault.Reads + _vault.Writes);
        SecretScanner.AssertClean([_sandbox.Secret], app.Logs, [error.ToString()]);
    }

    [Fact]
    public async Task Malformed_AzureWebJobsStorage_is_not_fatal_the_refresh_goes_ahead_with_a_warning_and_no_key_in_the_log()
    {
        const string key = "bm90LWEtcmVhbC1rZXktYnV0LXNlY3JldC1hbnl3YXk=";
        using var app = Start(s => s["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=https;AccountName=x;AccountKey={key};Garbage");

        var answer = await app.PostRefreshAsync();

        Assert.Equal(200, answer.Status);
        var warning = Assert.Single(app.Logs.GetSnapshot(), r => r.Id.Id == 1101);
        Assert.Equal(
            "The refresh lock in AzureWebJobsStorage (connection string) could not be used (the setting is malformed (FormatException)); this refresh goes ahead with the in-process single flight only.",
            warning.Message);
        SecretScanner.AssertClean([key, _sandbox.Secret, .. _vault.Values], app.Logs, [answer.Body]);
    }

    [Theory]
    [InlineData("?force=maybe")]
    [InlineData("?force=1")]
    [InlineData("?force=true&force=false")]
    public async Task Bad_force_value_is_answered_400_and_calls_nobody(string query)
    {
        using var app = Start();

        var answer = await app.PostRefreshAsync(query);

        Assert.Equal(400, answer.Status);
        Assert.Contains("force", Json(answer).GetProperty("message").GetString(), StringComparison.Ordinal);
        AssertUntouched(app, answer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Huge_body_is_answered_413_and_calls_nobody(bool chunked)
    {
        using var app = Start();

        var answer = await app.PostRefreshAsync("?force=true", bodyLength: 50L * 1024 * 1024, chunked: chunked);

        Assert.Equal(413, answer.Status);
        AssertUntouched(app, answer);
    }

    [Theory]
    [InlineData("RefreshOnDemand", "post", "token/refresh")]
    [InlineData("TokenStatus", "get", "token/status")]
    public void Functions_metadata_declares_only_the_functions_own_method_and_route_at_auth_level_Function(string function, string method, string route)
    {
        // Reads the metadata only. That a wrong method is refused by the running worker is proven through the host
        // stand-in: HostTests' HttpInvocationTests.A_method_the_function_does_not_declare_is_refused_with_405_by_the_workers_routing_and_runs_nothing.
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var trigger = metadata.RootElement.EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == function)
            .GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString() == "httpTrigger");

        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
    }

    private AppInstance Start(Action<Dictionary<string, string?>>? configure = null) =>
        new(_sandbox, _vault, TimeProvider.System, _requests, configure: configure);

    private void AssertFailure(AppInstance app, HttpAnswer answer, int status, string category)
    {
        Assert.Equal(status, answer.Status);
        var json = Json(answer);
        Assert.False(json.GetProperty("refreshed").GetBoolean());
        Assert.Equal(category, json.GetProperty("category").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
        Assert.Equal(_goodVersion, json.GetProperty("version").GetString());
        Assert.Equal(_goodVersion, _vault.Latest!.Properties.Version);
        Assert.Equal(0, _vault.Writes);
        AssertNoSecrets(app, answer);
    }

    private void AssertUntouched(AppInstance app, HttpAnswer answer)
    {
        Assert.Equal(0, _requests.Count);
        Assert.Equal(0, _vault.Reads + _vault.Writes);
        AssertNoSecrets(app, answer);
    }

    private void AssertNoSecrets(AppInstance app, HttpAnswer answer) =>
        SecretScanner.AssertClean([_sandbox.Secret, .. _vault.Values], app.Logs, [answer.Body, answer.RetryAfter]);

    private static JsonElement Json(HttpAnswer answer) => JsonDocument.Parse(answer.Body).RootElement.Clone();
}
