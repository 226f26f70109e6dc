using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using WelkinTokenRefresher.Sandbox.Identity;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.Sandbox.Tests;

[Collection(ManagedIdentityTests.Name)]
public sealed class ChallengeHandshakeTests(ManagedIdentityEnvironment environment)
{
    [Fact]
    public async Task A_fresh_vault_is_reached_through_one_challenge_then_a_managed_identity_token()
    {
        // A new sandbox: SecretClient caches challenges per vault host and port for the whole process.
        await using var sandbox = await WelkinSandbox.StartAsync();
        environment.Publish(sandbox);
        try
        {
            // An identity of its own, so its token cannot come from the SDK's process-wide cache: exactly one is issued here.
            var client = SecretClients.Create(sandbox, credential: SecretClients.UncachedCredential());

            await client.SetSecretAsync("handshake", "value");
            KeyVaultSecret read = await client.GetSecretAsync("handshake");

            Assert.Equal("value", read.Value);
            var counters = sandbox.KeyVault.Counters;
            Assert.Equal(1, counters.Challenges);
            Assert.Equal(0, counters.RejectedTokens);
            Assert.Equal(1, counters[KeyVaultOperation.SetSecret]);
            Assert.Equal(1, counters[KeyVaultOperation.GetSecret]);
            Assert.Equal(new ManagedIdentityCounters(1, 1), sandbox.Identity.Counters);
        }
        finally
        {
            environment.Publish(environment.Sandbox);
        }
    }

    [Fact]
    public async Task Vault_times_come_from_the_injected_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = time });
        environment.Publish(sandbox);
        try
        {
            var client = SecretClients.Create(sandbox);

            KeyVaultSecret written = await client.SetSecretAsync("clocked", "value");
            time.Advance(TimeSpan.FromDays(3));
            written.Properties.ContentType = "text/plain";
            SecretProperties updated = await client.UpdateSecretPropertiesAsync(written.Properties);

            Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), updated.CreatedOn);
            Assert.Equal(new DateTimeOffset(2024, 1, 4, 0, 0, 0, TimeSpan.Zero), updated.UpdatedOn);
        }
        finally
        {
            environment.Publish(environment.Sandbox);
        }
    }

    [Theory]
    [InlineData(null, "AKV10000")]
    [InlineData("Bearer not.a.jwt", "AKV10032")]
    [InlineData("wrong-audience", "AKV10022")]
    public async Task Missing_forged_or_misdirected_bearer_tokens_get_401_with_the_challenge(string? authorization, string messageCode)
    {
        var sandbox = environment.Sandbox;
        if (authorization == "wrong-audience")
        {
            var token = await new DefaultAzureCredential().GetTokenAsync(new Azure.Core.TokenRequestContext(["https://management.azure.com/.default"]));
            authorization = "Bearer " + token.Token;
        }

        using var http = new HttpClient(sandbox.CreateTrustingHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.VaultUri, "secrets/anything?api-version=7.6"));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("\"code\":\"Unauthorized\"", body, StringComparison.Ordinal);
        Assert.Contains(messageCode, body, StringComparison.Ordinal);
        Assert.Equal(
            $"Bearer authorization=\"https://login.microsoftonline.com/{ManagedIdentityEmulator.TenantId}\", resource=\"https://vault.azure.net\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Managed_identity_endpoint_refuses_a_wrong_or_missing_header()
    {
        var sandbox = environment.Sandbox;
        using var http = new HttpClient();
        var url = new Uri(sandbox.IdentityEndpoint + "?api-version=2019-08-01&resource=https://vault.azure.net");

        using var missing = await http.GetAsync(url);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "X-IDENTITY-HEADER", "not-it" } } };
        using var wrongAnswer = await http.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "X-IDENTITY-HEADER", sandbox.IdentityHeader } } };
        using var rightAnswer = await http.SendAsync(right);
        var body = await rightAnswer.Content.ReadAsStringAsync();

        Assert.Equal(400, (int)missing.StatusCode);
        Assert.Equal(401, (int)wrongAnswer.StatusCode);
        Assert.Equal(200, (int)rightAnswer.StatusCode);
        Assert.Contains("\"token_type\":\"Bearer\"", body, StringComparison.Ordinal);
        Assert.Matches("\"expires_on\":\"[0-9]+\"", body);
    }

    [Fact]
    public async Task DefaultAzureCredential_gets_its_token_from_the_sandbox_endpoint()
    {
        var sandbox = environment.Sandbox;
        var before = sandbox.Identity.Counters.TokensIssued;

        var token = await SecretClients.UncachedCredential().GetTokenAsync(new Azure.Core.TokenRequestContext(["https://vault.azure.net/.default"]));

        Assert.Equal(before + 1, sandbox.Identity.Counters.TokensIssued);
        // The sandbox's vault accepts it: the unknown secret is 404, not a 401 for a token it did not issue.
        Assert.Equal(404, await StatusWithTokenAsync(sandbox, token.Token));
    }

    [Fact]
    public async Task A_bearer_token_past_its_expiry_is_refused_with_401_AKV10013()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = time });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.IdentityEndpoint + "?api-version=2019-08-01&resource=https://vault.azure.net"))
        {
            Headers = { { "X-IDENTITY-HEADER", sandbox.IdentityHeader } },
        };
        using var answer = await http.SendAsync(request);
        var token = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;

        var fresh = await StatusWithTokenAsync(sandbox, token);
        time.Advance(TimeSpan.FromHours(24));
        var (expired, body) = await AnswerWithTokenAsync(sandbox, token);

        Assert.Equal(404, fresh);
        Assert.Equal(401, expired);
        Assert.Contains("AKV10013", body, StringComparison.Ordinal);
        Assert.Equal(1, sandbox.KeyVault.Counters.RejectedTokens);
    }

    private static async Task<int> StatusWithTokenAsync(WelkinSandbox sandbox, string token) => (await AnswerWithTokenAsync(sandbox, token)).Status;

    private static async Task<(int Status, string Body)> AnswerWithTokenAsync(WelkinSandbox sandbox, string token)
    {
        using var http = new HttpClient(sandbox.CreateTrustingHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.VaultUri, "secrets/never-written?api-version=7.6"));
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
