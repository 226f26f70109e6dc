using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Client;

namespace WelkinTokenRefresher.Benchmarks;

/// <summary>
/// A <see cref="KeyVaultWelkinTokenSource"/> with its cache already filled, on the system clock, over a vault that
/// answers with one secret (the benchmarks build for every runtime the library targets, so no net10.0-only test double).
/// </summary>
internal static class WarmTokenSource
{
    private static readonly Uri VaultUri = new("https://bench-vault.vault.azure.net/");

    public static KeyVaultWelkinTokenSource Create()
    {
        // Far enough out that the benchmark never reaches the refresh window.
        var properties = SecretModelFactory.SecretProperties(
            id: new Uri(VaultUri, "secrets/welkin-api-token/v1"), vaultUri: VaultUri, name: "welkin-api-token", version: "v1");
        properties.ExpiresOn = TimeProvider.System.GetUtcNow().AddDays(1);
        var secret = SecretModelFactory.KeyVaultSecret(properties, "eyJhbGciOiJSUzI1NiJ9.benchmark.c2lnbmF0dXJl");

        var source = new KeyVaultWelkinTokenSource(
            new OneSecretClient(secret),
            Options.Create(new WelkinTokenSourceOptions { VaultUri = VaultUri }),
            TimeProvider.System,
            NullLogger<KeyVaultWelkinTokenSource>.Instance);
        source.GetTokenAsync().AsTask().GetAwaiter().GetResult();
        return source;
    }

    private sealed class OneSecretClient(KeyVaultSecret secret) : SecretClient
    {
        public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Response.FromValue(secret, null!));
    }
}
