using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using WelkinTokenRefresher.Client;

namespace WelkinTokenRefresher.Benchmarks;

/// <summary>
/// A <see cref="KeyVaultWelkinTokenSource"/> over a mocked vault, with its cache already filled, on the system clock.
/// </summary>
internal static class WarmTokenSource
{
    public static KeyVaultWelkinTokenSource Create()
    {
        var vaultUri = new Uri("https://bench-vault.vault.azure.net/");
        SecretProperties properties = SecretModelFactory.SecretProperties(
            id: new Uri(vaultUri, "secrets/welkin-api-token/v1"), vaultUri: vaultUri, name: "welkin-api-token", version: "v1");

        // Far enough out that the benchmark never reaches the refresh window.
        properties.ExpiresOn = TimeProvider.System.GetUtcNow().AddDays(1);
        KeyVaultSecret secret = SecretModelFactory.KeyVaultSecret(properties, "eyJhbGciOiJSUzI1NiJ9.benchmark.c2lnbmF0dXJl");

        var client = new Mock<SecretClient>();
        client
            .Setup(c => c.GetSecretAsync("welkin-api-token", null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(secret, Mock.Of<Response>()));

        var source = new KeyVaultWelkinTokenSource(
            client.Object,
            Options.Create(new WelkinTokenSourceOptions { VaultUri = vaultUri }),
            TimeProvider.System,
            NullLogger<KeyVaultWelkinTokenSource>.Instance);
        source.GetTokenAsync().AsTask().GetAwaiter().GetResult();
        return source;
    }
}
