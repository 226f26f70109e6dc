using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Vault;

/// <summary>What a write puts in Key Vault: the token as received, its expiry, the content type and the tags.</summary>
public sealed class KeyVaultTokenVaultWriteTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 3, 2, 9, 0, 0, 123, TimeSpan.Zero);

    private readonly InMemorySecretClient _client = new(TimeProvider.System, new Uri(TestSettings.VaultUri));

    internal static KeyVaultTokenVault Vault(InMemorySecretClient client, string secretName = "welkin-api-token") => new(
        client,
        Options.Create(new TokenVaultOptions { VaultUri = new Uri(TestSettings.VaultUri), SecretName = secretName }),
        TimeProvider.System);

    private static IssuedToken Token(string value = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln", int lifetimeMinutes = 60) =>
        new(value, IssuedAt, IssuedAt.AddMinutes(lifetimeMinutes), ExpirySource.ExpiresAtField, "client-key-123");

    [Fact]
    public async Task Writes_the_token_exactly_as_received_with_expiry_and_content_type()
    {
        var token = Token("eyJ.tok+en/with=odd_chars-");

        await Vault(_client).WriteAsync(token, CancellationToken.None);

        var written = Assert.Single(_client.Sent);
        Assert.Equal("welkin-api-token", written.Name);
        Assert.Equal(token.Value, written.Value);
        Assert.Equal(token.ExpiresAt, written.Properties.ExpiresOn);
        Assert.Equal("application/jwt", written.Properties.ContentType);
    }

    [Fact]
    public async Task Writes_the_tags_in_iso_8601_utc_and_never_the_secret()
    {
        var token = new IssuedToken("t", new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.FromHours(2)), ExpirySource.ExpiresAtField, "client-key-123");

        await Vault(_client).WriteAsync(token, CancellationToken.None);

        var tags = Assert.Single(_client.Sent).Properties.Tags;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["issuedAt"] = "2026-03-02T09:00:00Z",
                ["expiresAt"] = "2026-03-02T10:00:00Z",
                ["source"] = "welkin",
                ["apiClient"] = "client-key-123",
            },
            tags.ToDictionary());
        Assert.DoesNotContain(tags, t => t.Value.Contains("client-secret-456", StringComparison.Ordinal) || t.Key.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Returns_the_new_version_metadata()
    {
        var stored = await Vault(_client).WriteAsync(Token(), CancellationToken.None);

        Assert.Equal("welkin-api-token", stored.SecretName);
        Assert.Equal(Assert.Single(_client.Versions()).Properties.Version, stored.Version);
        Assert.Matches("^[0-9a-f]{32}$", stored.Version);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), stored.IssuedAt);
        Assert.Equal(IssuedAt.AddMinutes(60), stored.ExpiresAt);
    }

    [Fact]
    public async Task Writes_to_the_configured_secret_name()
    {
        await Vault(_client, "other-name").WriteAsync(Token(), CancellationToken.None);

        Assert.Equal("other-name", Assert.Single(_client.Sent).Name);
    }

    [Fact]
    public async Task Write_never_deletes_disables_or_updates_other_versions()
    {
        await Vault(_client).WriteAsync(Token(), CancellationToken.None);

        Assert.Equal(1, _client.Writes);
        Assert.Empty(_client.OtherCalls);
        Assert.True(Assert.Single(_client.Sent).Properties.Enabled != false);
    }
}
