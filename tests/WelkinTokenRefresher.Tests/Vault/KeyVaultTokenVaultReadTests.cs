using Azure.Security.KeyVault.Secrets;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Vault;

/// <summary>Reading the latest version only: present, missing, disabled.</summary>
public sealed class KeyVaultTokenVaultReadTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemorySecretClient _client = new(TimeProvider.System, new Uri(TestSettings.VaultUri));

    private void VerifyNeverListedVersions()
    {
        Assert.Empty(_client.OtherCalls);
    }

    [Fact]
    public async Task Reads_the_latest_version_and_its_metadata()
    {
        var seeded = _client.Seed("stored-token", IssuedAt, IssuedAt.AddHours(1));

        var reading = await KeyVaultTokenVaultWriteTests.Vault(_client).ReadCurrentAsync(CancellationToken.None);

        Assert.Equal(VaultTokenState.Present, reading.State);
        Assert.Equal(new StoredToken("welkin-api-token", seeded.Properties.Version, IssuedAt, IssuedAt.AddHours(1)), reading.Token);
        Assert.Equal([null], _client.ReadVersions);
        VerifyNeverListedVersions();
    }

    [Fact]
    public async Task Version_without_issuedAt_tag_falls_back_to_its_creation_time()
    {
        var created = IssuedAt.AddMinutes(-7);
        var secret = new KeyVaultSecret("welkin-api-token", "hand-written");
        secret.Properties.ExpiresOn = IssuedAt.AddHours(1);
        _client.Put(secret, version: "abc", createdOn: created);

        var reading = await KeyVaultTokenVaultWriteTests.Vault(_client).ReadCurrentAsync(CancellationToken.None);

        Assert.Equal(created, reading.Token!.IssuedAt);
        Assert.Equal("abc", reading.Token.Version);
    }

    [Fact]
    public async Task Missing_secret_reads_as_missing()
    {
        var reading = await KeyVaultTokenVaultWriteTests.Vault(_client).ReadCurrentAsync(CancellationToken.None);

        Assert.Same(VaultReading.Missing, reading);
        VerifyNeverListedVersions();
    }

    [Fact]
    public async Task Disabled_latest_version_reads_as_disabled()
    {
        _client.Seed("stored-token", IssuedAt, IssuedAt.AddHours(1), enabled: false);

        var reading = await KeyVaultTokenVaultWriteTests.Vault(_client).ReadCurrentAsync(CancellationToken.None);

        Assert.Same(VaultReading.Disabled, reading);
        VerifyNeverListedVersions();
    }

    [Fact]
    public async Task Forbidden_because_the_version_is_disabled_reads_as_disabled()
    {
        // Key Vault answers a GET of a disabled version with 403 and the code SecretDisabled.
        _client.ReadFailure = InMemorySecretClient.Failure(403, "SecretDisabled");

        var reading = await KeyVaultTokenVaultWriteTests.Vault(_client).ReadCurrentAsync(CancellationToken.None);

        Assert.Same(VaultReading.Disabled, reading);
    }

    [Fact]
    public async Task Expired_latest_version_reads_as_present_with_its_expiry()
    {
        _client.Seed("stored-token", IssuedAt.AddHours(-2), IssuedAt.AddHours(-1));

        var reading = await KeyVaultTokenVaultWriteTests.Vault(_client).ReadCurrentAsync(CancellationToken.None);

        Assert.Equal(VaultTokenState.Present, reading.State);
        Assert.False(reading.Token!.IsValidAt(IssuedAt));
    }

    [Fact]
    public async Task Read_never_carries_the_token_value()
    {
        _client.Seed("stored-token-value", IssuedAt, IssuedAt.AddHours(1));

        var reading = await KeyVaultTokenVaultWriteTests.Vault(_client).ReadCurrentAsync(CancellationToken.None);

        Assert.DoesNotContain("stored-token-value", reading.ToString(), StringComparison.Ordinal);
    }
}
