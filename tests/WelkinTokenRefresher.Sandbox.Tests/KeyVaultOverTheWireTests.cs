using Azure;
using Azure.Security.KeyVault.Secrets;
using WelkinTokenRefresher.Sandbox.Identity;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.Sandbox.Tests;

[Collection(ManagedIdentityTests.Name)]
public sealed class KeyVaultOverTheWireTests(ManagedIdentityEnvironment environment)
{
    private readonly WelkinSandbox _sandbox = environment.Sandbox;

    private static string NewName() => "s-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Set_get_update_and_list_round_trip_through_the_real_SecretClient()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        var expires = TimeProvider.System.GetUtcNow().AddHours(1);
        var first = new KeyVaultSecret(name, "token-1") { Properties = { ContentType = "application/jwt", ExpiresOn = expires, Tags = { ["issuedAt"] = "now" } } };

        KeyVaultSecret v1 = await client.SetSecretAsync(first);
        KeyVaultSecret v2 = await client.SetSecretAsync(name, "token-2");
        KeyVaultSecret latest = await client.GetSecretAsync(name);
        KeyVaultSecret byVersion = await client.GetSecretAsync(name, v1.Properties.Version);

        Assert.Equal("token-2", latest.Value);
        Assert.Equal(v2.Properties.Version, latest.Properties.Version);
        Assert.Matches("^[0-9a-f]{32}$", v1.Properties.Version);
        Assert.Equal(new Uri(_sandbox.VaultUri, $"secrets/{name}/{v1.Properties.Version}"), byVersion.Id);
        Assert.Equal("token-1", byVersion.Value);
        Assert.Equal("application/jwt", byVersion.Properties.ContentType);
        Assert.Equal(expires.ToUnixTimeSeconds(), byVersion.Properties.ExpiresOn!.Value.ToUnixTimeSeconds());
        Assert.Equal("now", byVersion.Properties.Tags["issuedAt"]);
        Assert.True(byVersion.Properties.Enabled);
        Assert.NotNull(byVersion.Properties.CreatedOn);
        Assert.Equal("Recoverable+Purgeable", byVersion.Properties.RecoveryLevel);

        byVersion.Properties.Enabled = false;
        byVersion.Properties.Tags["superseded"] = "true";
        SecretProperties updated = await client.UpdateSecretPropertiesAsync(byVersion.Properties);
        Assert.False(updated.Enabled);
        Assert.Equal("true", updated.Tags["superseded"]);
        Assert.False(_sandbox.KeyVault.GetVersions(name)[0].Enabled);

        var versions = new List<SecretProperties>();
        await foreach (var properties in client.GetPropertiesOfSecretVersionsAsync(name))
        {
            versions.Add(properties);
        }

        Assert.Equal([v1.Properties.Version, v2.Properties.Version], versions.Select(v => v.Version));
        Assert.Contains(name, await ListNamesAsync(client));
    }

    [Fact]
    public async Task Version_listing_follows_nextLink_pages()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        for (var i = 0; i < 30; i++)
        {
            _sandbox.KeyVault.Seed(name, $"v{i}");
        }

        var before = _sandbox.KeyVault.Counters[KeyVaultOperation.ListSecretVersions];
        var count = 0;
        await foreach (var _ in client.GetPropertiesOfSecretVersionsAsync(name))
        {
            count++;
        }

        Assert.Equal(30, count);
        Assert.Equal(2, _sandbox.KeyVault.Counters[KeyVaultOperation.ListSecretVersions] - before);
    }

    [Fact]
    public async Task Unknown_secret_is_404_SecretNotFound()
    {
        var client = SecretClients.Create(_sandbox);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(NewName()));

        Assert.Equal(404, error.Status);
        Assert.Equal("SecretNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Disabled_latest_version_is_403_Forbidden()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        var seeded = _sandbox.KeyVault.Seed(name, "value");
        _sandbox.KeyVault.SetEnabled(name, seeded.Version, enabled: false);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));

        Assert.Equal(403, error.Status);
        Assert.Equal("Forbidden", error.ErrorCode);
        Assert.Contains("disabled secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_version_is_still_served_with_its_exp()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        var seeded = _sandbox.KeyVault.Seed(name, "value");
        var expired = _sandbox.KeyVault.Expire(name, seeded.Version);

        KeyVaultSecret secret = await client.GetSecretAsync(name);

        Assert.Equal("value", secret.Value);
        Assert.Equal(expired.ExpiresOn, secret.Properties.ExpiresOn);
    }

    [Theory]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "SecretNotFound")]
    [InlineData(409, "Conflict")]
    [InlineData(429, "Throttled")]
    [InlineData(500, "InternalServerError")]
    public async Task Injected_status_faults_surface_with_status_and_error_code(int status, string errorCode)
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        _sandbox.KeyVault.Seed(name, "value");
        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Status(status, KeyVaultOperation.GetSecret, status == 429 ? TimeSpan.FromSeconds(7) : null));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));

        Assert.Equal(status, error.Status);
        Assert.Equal(errorCode, error.ErrorCode);
        if (status == 429)
        {
            Assert.Equal("7", error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter) ? retryAfter : null);
        }

        Assert.Equal("value", (await client.GetSecretAsync(name)).Value.Value);
    }

    [Fact]
    public async Task A_fault_for_one_operation_leaves_other_operations_alone()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Status(500, KeyVaultOperation.SetSecret), times: 2);

        _sandbox.KeyVault.Seed(name, "seeded");
        Assert.Equal("seeded", (await client.GetSecretAsync(name)).Value.Value);
        await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(name, "a"));
        await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(name, "b"));
        await client.SetSecretAsync(name, "c");

        Assert.Equal(["seeded", "c"], _sandbox.KeyVault.GetVersions(name).Select(v => v.Value));
    }

    [Fact]
    public async Task Injected_401_with_challenge_is_recovered_by_the_client_once()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        _sandbox.KeyVault.Seed(name, "value");
        await client.GetSecretAsync(name);

        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Status(401, KeyVaultOperation.GetSecret));
        Assert.Equal("value", (await client.GetSecretAsync(name)).Value.Value);

        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Status(401, KeyVaultOperation.GetSecret), times: 2);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));
        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task Slow_answer_times_out_the_client_and_reset_fails_the_call()
    {
        // One transport for both clients: the patient one opens the TLS connection, gets the identity token and passes
        // the challenge, so the impatient one's timeout covers only the answer it waits for, which the fault holds back.
        var transport = SecretClients.Transport(_sandbox);
        var patient = SecretClients.Create(_sandbox, transport: transport);
        var impatient = SecretClients.Create(_sandbox, networkTimeout: TimeSpan.FromSeconds(2), transport: transport);
        var name = NewName();
        _sandbox.KeyVault.Seed(name, "value");
        await patient.GetSecretAsync(name);
        var faultsBefore = _sandbox.KeyVault.Counters.FaultsApplied;

        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Slow(TimeSpan.FromMinutes(5), KeyVaultOperation.SetSecret));
        var late = await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.SetSecretAsync(name, "late"));

        // The SDK's own network timeout, on a request the vault received and held: not a refusal, a TLS error or a 5xx.
        Assert.Contains("exceeded the configured timeout of 0:00:02", late.Message, StringComparison.Ordinal);
        Assert.Equal((faultsBefore + 1, 0), (_sandbox.KeyVault.Counters.FaultsApplied, _sandbox.KeyVault.Faults.Pending));

        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Reset(KeyVaultOperation.SetSecret));
        var reset = await Assert.ThrowsAsync<RequestFailedException>(() => patient.SetSecretAsync(name, "reset"));
        Assert.Equal(0, reset.Status);
        Assert.IsType<HttpRequestException>(reset.InnerException);

        Assert.Equal(["value"], _sandbox.KeyVault.GetVersions(name).Select(v => v.Value));
    }

    [Fact]
    public async Task Roles_emulate_missing_and_read_only_assignments()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        _sandbox.KeyVault.Seed(name, "value");
        await client.GetSecretAsync(name);
        var caller = ManagedIdentityEmulator.DefaultClientId;
        try
        {
            _sandbox.KeyVault.Access.SetRole(caller, KeyVaultRole.SecretsUser);
            Assert.Equal("value", (await client.GetSecretAsync(name)).Value.Value);
            var write = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(name, "new"));
            Assert.Equal((403, "Forbidden"), (write.Status, write.ErrorCode));
            Assert.Contains("setSecret", write.Message, StringComparison.Ordinal);

            _sandbox.KeyVault.Access.SetRole(caller, KeyVaultRole.None);
            var read = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));
            Assert.Equal((403, "Forbidden"), (read.Status, read.ErrorCode));
        }
        finally
        {
            _sandbox.KeyVault.Access.Reset();
        }
    }

    [Fact]
    public async Task Plain_HttpClient_without_the_sandbox_trust_fails_TLS()
    {
        using var untrusting = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(_sandbox.VaultUri, "secrets?api-version=7.6")));
    }

    private static async Task<List<string>> ListNamesAsync(SecretClient client)
    {
        var names = new List<string>();
        await foreach (var properties in client.GetPropertiesOfSecretsAsync())
        {
            names.Add(properties.Name);
        }

        return names;
    }
}
