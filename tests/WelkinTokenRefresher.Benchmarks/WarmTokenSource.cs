using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Client;
using WelkinTokenRefresher.TestSupport.KeyVault;

namespace WelkinTokenRefresher.Benchmarks;

/// <summary>
/// A <see cref="KeyVaultWelkinTokenSource"/> over the shared in-memory vault, with its cache already filled, on the system clock.
/// </summary>
internal static class WarmTokenSource
{
    public static KeyVaultWelkinTokenSource Create()
    {
        var vault = new InMemorySecretClient(TimeProvider.System, new Uri("https://bench-vault.vault.azure.net/"));
        // Far enough out that the benchmark never reaches the refresh window.
        var now = TimeProvider.System.GetUtcNow();
        vault.Seed("eyJhbGciOiJSUzI1NiJ9.benchmark.c2lnbmF0dXJl", now, now.AddDays(1));

        var source = new KeyVaultWelkinTokenSource(
            vault,
            Options.Create(new WelkinTokenSourceOptions { VaultUri = vault.VaultUri }),
            TimeProvider.System,
            NullLogger<KeyVaultWelkinTokenSource>.Instance);
        source.GetTokenAsync().AsTask().GetAwaiter().GetResult();
        return source;
    }
}
