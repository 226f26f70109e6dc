using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace WelkinTokenRefresher.Sandbox.Tests;

/// <summary>Real SecretClients wired to a sandbox the way sandbox-mode consumers wire them.</summary>
internal static class SecretClients
{
    /// <param name="networkTimeout">The SDK's per-attempt timeout (20 s unless given).</param>
    /// <param name="transport">Shared by clients that should share connections; a new one for the sandbox otherwise.</param>
    /// <param name="credential">DefaultAzureCredential (the sandbox's managed identity) unless given.</param>
    public static SecretClient Create(WelkinSandbox sandbox, TimeSpan? networkTimeout = null, HttpPipelineTransport? transport = null, TokenCredential? credential = null)
    {
        var options = new SecretClientOptions
        {
            DisableChallengeResourceVerification = true,
            Transport = transport ?? Transport(sandbox),
        };
        // Retries would hide the status under test and wait out Retry-After in real time.
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(20);
        return new SecretClient(sandbox.VaultUri, credential ?? new DefaultAzureCredential(), options);
    }

    /// <summary>An HTTP transport that trusts the sandbox's certificate authority.</summary>
    public static HttpClientTransport Transport(WelkinSandbox sandbox) => new(sandbox.CreateTrustingHandler());

    /// <summary>
    /// DefaultAzureCredential as a user-assigned identity of its own: the SDK caches managed identity tokens per process
    /// and client id, so a new client id is sure to ask the sandbox for a token instead of reusing one cached earlier.
    /// </summary>
    public static DefaultAzureCredential UncachedCredential() =>
        new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = Guid.NewGuid().ToString() });
}
