using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.HostTests.Infrastructure;

/// <summary>The vault's contents at one moment: enough to prove that a cycle wrote nothing.</summary>
internal sealed record VaultSnapshot(int VersionCount, string? LatestVersion, string? LatestValue)
{
    public static VaultSnapshot Take(WelkinSandbox sandbox)
    {
        var latest = sandbox.KeyVault.GetLatest(sandbox.SecretName);
        return new(sandbox.KeyVault.GetVersions(sandbox.SecretName).Count, latest?.Version, latest?.Value);
    }
}

/// <summary>
/// Vault states written straight into the emulator, as the newest version of the sandbox's secret. The worker runs on the
/// real clock, so ages and expiries are relative to now.
/// </summary>
internal static class Vault
{
    /// <summary>52 minutes old, 8 minutes left: due (Refresh:RefreshAfter is 50 minutes).</summary>
    public static StoredSecretVersion SeedDue(WelkinSandbox sandbox) => Seed(sandbox, TimeSpan.FromMinutes(52), TimeSpan.FromMinutes(8));

    /// <summary>Issued <paramref name="age"/> ago (a minute by default), the rest of an hour left: not due, healthy.</summary>
    public static StoredSecretVersion SeedFresh(WelkinSandbox sandbox, TimeSpan? age = null) =>
        Seed(sandbox, age ?? TimeSpan.FromMinutes(1), TimeSpan.FromHours(1) - (age ?? TimeSpan.FromMinutes(1)));

    /// <summary>Issued 70 minutes ago, expired 10 minutes ago.</summary>
    public static StoredSecretVersion SeedExpired(WelkinSandbox sandbox) => Seed(sandbox, TimeSpan.FromMinutes(70), TimeSpan.FromMinutes(-10));

    private static StoredSecretVersion Seed(WelkinSandbox sandbox, TimeSpan age, TimeSpan expiresIn)
    {
        var now = TimeProvider.System.GetUtcNow();
        var expiresAt = now + expiresIn;
        return sandbox.KeyVault.Seed(sandbox.SecretName, "seeded-" + Guid.NewGuid().ToString("N"), expiresAt, contentType: SecretTags.ContentType, tags: new Dictionary<string, string>
        {
            [SecretTags.IssuedAt] = SecretTags.Format(now - age),
            [SecretTags.ExpiresAt] = SecretTags.Format(expiresAt),
            [SecretTags.Source] = SecretTags.SourceValue,
            [SecretTags.ApiClient] = sandbox.ApiClient,
        });
    }
}
