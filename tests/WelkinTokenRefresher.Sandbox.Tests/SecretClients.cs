using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace WelkinTokenRefresher.Sandbox.Tests;

/// <summary>Real SecretClients wired to a sandbox the way sandbox-mode consumers wire them.</summary>
internal static class SecretClients
{
    public static SecretClient Create(WelkinSandbox sandbox, TimeSpan? networkTimeout = null)
    {
        var options = new SecretClientOptions
        {
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(sandbox.CreateTrustingHandler()),
        };
        // Retries would hide the status under test and wait out Retry-After in real time.
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(20);
        return new SecretClient(sandbox.VaultUri, new DefaultAzureCredential(), options);
    }
}
