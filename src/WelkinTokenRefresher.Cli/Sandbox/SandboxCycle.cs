using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli.Commands;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Client;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Cli.Sandbox;

/// <summary>
/// <c>welkin-token refresh --sandbox</c>: the whole flow on loopback, for two API clients side by side (<c>default</c> on
/// the auth-token API, <c>live</c> on the api-clients API, each with a Welkin of its own). Each client's token is fetched,
/// written to the sandbox vault, read back through the consumer library's named sources and used against its Welkin.
/// </summary>
internal static class SandboxCycle
{
    public static async Task<int> RunAsync(ReportWriter writer, bool force, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxSession.StartAsync(cancellationToken);
        var second = sandbox.ApiClientsClient!;
        writer.Error.WriteLine($"Sandbox: Welkin {sandbox.WelkinBaseUrl} (client default, auth-token) and {second.WelkinBaseUrl} (client {second.Name}, api-clients), Key Vault {sandbox.VaultUri}, managed identity {sandbox.IdentityEndpoint}");

        writer.Error.WriteLine("1/3 Refresh: fetch each client's token from its Welkin and store it in Key Vault");
        var refreshed = await RefreshCommand.RunAsync(new CliSettings(null, null, null), client: null, force, writer,
            new CompositionOverrides(SandboxSession.Configuration(sandbox), services => SandboxSession.UseSandbox(services, sandbox)), requestedAt: null, cancellationToken);
        if (refreshed != ExitCodes.Success)
        {
            return refreshed;
        }

        var clients = new (string Name, string SecretName, Uri PingUrl)[]
        {
            (WelkinClientSettings.DefaultName, sandbox.SecretName, sandbox.PingUrl),
            (second.Name, WelkinClientSettings.DefaultSecretName(second.Name), second.PingUrl),
        };
        var services = new ServiceCollection();
        foreach (var (name, secretName, pingUrl) in clients)
        {
            services.AddWelkinTokenSource(name, options =>
            {
                options.VaultUri = sandbox.VaultUri;
                options.SecretName = secretName;
                options.ConfigureSecretClient = client =>
                {
                    client.DisableChallengeResourceVerification = true;
                    client.Transport = new HttpClientTransport(sandbox.CreateTrustingHandler());
                };
            });
            services.AddHttpClient(name, client => client.BaseAddress = pingUrl).AddWelkinBearerToken(name);
        }

        await using var consumer = services.BuildServiceProvider();
        writer.Error.WriteLine("2/3 Read: a consuming workload reads each token from Key Vault through WelkinTokenRefresher.Client (named sources)");
        foreach (var (name, _, _) in clients)
        {
            try
            {
                var token = await consumer.GetRequiredKeyedService<IWelkinTokenSource>(name).GetTokenAsync(cancellationToken);
                writer.Error.WriteLine($"    [{name}] version {token.Version}, expires {token.ExpiresOn:yyyy-MM-dd'T'HH:mm:ss'Z'}");
            }
            catch (WelkinTokenUnavailableException e)
            {
                writer.Error.WriteLine($"welkin-token: reading client {name}'s token back failed ({e.Reason}): {e.Message}");
                return ExitCodes.KeyVaultError;
            }
        }

        writer.Error.WriteLine("3/3 Call: GET /v1/ping on each client's Welkin with its bearer token");
        foreach (var (name, _, pingUrl) in clients)
        {
            using var response = await consumer.GetRequiredService<IHttpClientFactory>().CreateClient(name).GetAsync(pingUrl.AbsolutePath, cancellationToken);
            writer.Error.WriteLine($"    [{name}] {(int)response.StatusCode} {response.ReasonPhrase}");
            if (!response.IsSuccessStatusCode)
            {
                writer.Error.WriteLine($"welkin-token: the sandbox Welkin of client {name} did not accept its token.");
                return ExitCodes.WelkinUnavailable;
            }
        }

        writer.Error.WriteLine("Sandbox cycle complete: each client's token went from its Welkin to Key Vault to a consumer and back to its Welkin.");
        return ExitCodes.Success;
    }
}
