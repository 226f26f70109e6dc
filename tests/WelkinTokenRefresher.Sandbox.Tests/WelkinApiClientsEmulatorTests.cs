using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.Sandbox.Tests;

/// <summary>The emulator's <c>api-clients</c> token API over HTTP: <c>POST /{tenant}/admin/api_clients/{apiClient}</c>, its answer and error shapes.</summary>
public sealed class WelkinApiClientsEmulatorTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 19, 13, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private WelkinSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = _time, Tenant = "acme corp" });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> PostAsync(string body, string? tenant = null, string? apiClient = null) =>
        _http.PostAsync(
            new Uri(_sandbox.WelkinBaseUrl, $"/{Uri.EscapeDataString(tenant ?? _sandbox.Tenant)}/admin/api_clients/{Uri.EscapeDataString(apiClient ?? _sandbox.ApiClient)}"),
            new StringContent(body, Encoding.UTF8, "application/json"));

    private string SecretBody(string? secret = null) => JsonSerializer.Serialize(new Dictionary<string, string> { ["secret"] = secret ?? _sandbox.Secret });

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task The_secret_alone_gets_clientName_token_and_enabled_without_expiry_and_the_jwt_lives_one_hour()
    {
        using var response = await PostAsync(SecretBody());
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["clientName", "enabled", "token"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(_sandbox.ApiClient, body.GetProperty("clientName").GetString());
        Assert.True(body.GetProperty("enabled").GetBoolean());
        var claims = WelkinClient.VerifiedClaims(_sandbox, body.GetProperty("token").GetString()!);
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(1, _sandbox.Welkin.Counters.TokensIssued);
    }

    [Fact]
    public async Task A_body_with_apiClient_is_refused_400_as_a_strict_server_would()
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["secret"] = _sandbox.Secret, ["apiClient"] = _sandbox.ApiClient });

        using var response = await PostAsync(body);
        var errors = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", Assert.Single(errors.EnumerateArray()).GetProperty("errorCode").GetString());
        Assert.Equal(0, _sandbox.Welkin.Counters.TokensIssued);
    }

    [Theory]
    [InlineData("wrong-secret", null, null)]
    [InlineData(null, "other-tenant", null)]
    [InlineData(null, null, "other-client")]
    public async Task Wrong_secret_tenant_or_client_is_401_with_a_list_of_error_codes(string? secret, string? tenant, string? apiClient)
    {
        using var response = await PostAsync(SecretBody(secret), tenant, apiClient);
        var errors = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.Equal("NOT_VALID_JSON_WEB_TOKEN", Assert.Single(errors.EnumerateArray()).GetProperty("errorCode").GetString());
        Assert.Equal(1, _sandbox.Welkin.Counters.ByOutcome[TokenRequestOutcome.InvalidCredentials]);
    }

    [Fact]
    public async Task A_disabled_client_answers_enabled_false()
    {
        _sandbox.Welkin.ClientEnabled = false;

        using var response = await PostAsync(SecretBody());
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Injected_errors_use_the_list_shape_and_the_auth_token_api_keeps_its_object_shape()
    {
        _sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429, TimeSpan.FromSeconds(30)));

        using var limited = await PostAsync(SecretBody());
        using var authToken = await WelkinClient.RequestTokenAsync(_http, _sandbox, secret: "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await JsonAsync(limited)).ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, authToken.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await JsonAsync(authToken)).GetProperty("errorCode").GetString());
    }
}
