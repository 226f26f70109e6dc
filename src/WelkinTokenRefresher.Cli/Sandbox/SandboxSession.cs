using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.Cli.Sandbox;

/// <summary>Points this process at a sandbox: configuration, the managed identity endpoint, and trust in its certificate only.</summary>
internal static class SandboxSession
{
    /// <summary>The sandbox's second API client, on the api-clients API beside the default client on auth-token.</summary>
    public const string SecondClient = "live";

    public static async Task<WelkinSandbox> StartAsync(CancellationToken cancellationToken)
    {
        var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { ApiClientsClientName = SecondClient }, cancellationToken);
        // DefaultAzureCredential finds the App Service managed identity protocol through these, as it would in Azure.
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", sandbox.IdentityEndpoint.AbsoluteUri);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", sandbox.IdentityHeader);
        return sandbox;
    }

    /// <summary>The sandbox settings as configuration keys (<c>Welkin:BaseUrl</c>, ...); process-level variables are left out.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration(WelkinSandbox sandbox) =>
        sandbox.EnvironmentSettings
            .Where(setting => setting.Key.Contains("__", StringComparison.Ordinal))
            .Select(setting => new KeyValuePair<string, string?>(setting.Key.Replace("__", ":", StringComparison.Ordinal), setting.Value));

    /// <summary>
    /// Trusts the sandbox certificate authority for Key Vault calls, and keeps the refresh locks in the sandbox's own
    /// directory, removed with it: a sandbox's token requests must not count in the budget that real runs of the same
    /// secret name share on this machine.
    /// </summary>
    public static void UseSandbox(IServiceCollection services, WelkinSandbox sandbox)
    {
        services.AddAzureClients(clients => clients.ConfigureDefaults(options => options.Transport = new HttpClientTransport(sandbox.CreateTrustingHandler())));
        services.AddLocalRefreshLocks(new ConfigurationBuilder().Build(), Path.Combine(Path.GetDirectoryName(sandbox.CertificatePemPath)!, "locks"));
    }
}
