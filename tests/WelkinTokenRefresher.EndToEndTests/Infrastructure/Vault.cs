using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

/// <summary>The vault's contents at one moment: enough to prove that a failed cycle wrote nothing.</summary>
internal sealed record VaultSnapshot(int VersionCount, string? LatestVersion, string? LatestValue)
{
    public static VaultSnapshot Take(WelkinSandbox sandbox, string secretName)
    {
        var latest = sandbox.KeyVault.GetLatest(secretName);
        return new(sandbox.KeyVault.GetVersions(secretName).Count, latest?.Version, latest?.Value);
    }
}

internal static class Vault
{
    public static string NewSecretName() => "e2e-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Writes a token version with the refresher's tags, as if it had been refreshed <paramref name="age"/> ago and expires
    /// <paramref name="expiresIn"/> from <paramref name="now"/>. Its value is not a Welkin token: tests that need one use
    /// a real refresh.
    /// </summary>
    public static StoredSecretVersion SeedToken(WelkinSandbox sandbox, string secretName, DateTimeOffset now, TimeSpan age, TimeSpan expiresIn, string? value = null)
    {
        var expiresAt = now + expiresIn;
        return sandbox.KeyVault.Seed(secretName, value ?? "seeded-" + Guid.NewGuid().ToString("N"), expiresAt, contentType: SecretTags.ContentType, tags: new Dictionary<string, string>
        {
            [SecretTags.IssuedAt] = SecretTags.Format(now - age),
            [SecretTags.ExpiresAt] = SecretTags.Format(expiresAt),
            [SecretTags.Source] = SecretTags.SourceValue,
            [SecretTags.ApiClient] = sandbox.ApiClient,
        });
    }

    /// <summary>A token that the refresher considers due (50 minutes old), still valid for 8 minutes.</summary>
    public static StoredSecretVersion SeedDueToken(WelkinSandbox sandbox, string secretName, DateTimeOffset now) =>
        SeedToken(sandbox, secretName, now, TimeSpan.FromMinutes(52), TimeSpan.FromMinutes(8));
}
