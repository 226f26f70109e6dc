using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli.Commands;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Client;

namespace WelkinTokenRefresher.Cli.Sandbox;

/// <summary>
/// <c>welkin-token refresh --sandbox</c>: the whole flow on loopback. A token is fetched from the sandbox Welkin, written to
/// the sandbox vault, read back through the consumer library and used against a protected sandbox endpoint.
/// </summary>
internal static class SandboxCycle
{
    public static async Task<int> RunAsync(ReportWriter writer, bool force, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxSession.StartAsync(cancellationToken);
        writer.Error.WriteLine($"Sandbox: Welkin {sandbox.WelkinBaseUrl}, Key Vault {sandbox.VaultUri}, managed identity {sandbox.IdentityEndpoint}");

        writer.Error.WriteLine("1/3 Refresh: fetch a token from Welkin and store it in Key Vault");
        var refreshed = await RefreshCommand.RunAsync(new CliSettings(null, null, null), Core.Configuration.WelkinClientSettings.DefaultName, force, writer, cancellationToken,
            SandboxSession.Configuration(sandbox), services => SandboxSession.TrustSandboxVault(services, sandbox));
        if (refreshed != ExitCodes.Success)
        {
            return refreshed;
        }

        var services = new ServiceCollection();
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = sandbox.VaultUri;
            options.SecretName = sandbox.SecretName;
            options.ConfigureSecretClient = client =>
            {
                client.DisableChallengeResourceVerification = true;
                client.Transport = new HttpClientTransport(sandbox.CreateTrustingHandler());
            };
        });
        services.AddHttpClient("welkin", client => client.BaseAddress = sandbox.WelkinBaseUrl).AddWelkinBearerToken();
        await using var consumer = services.BuildServiceProvider();

        writer.Error.WriteLine("2/3 Read: a consuming workload reads the token from Key Vault through WelkinTokenRefresher.Client");
        WelkinToken token;
        try
        {
            token = await consumer.GetRequiredService<IWelkinTokenSource>().GetTokenAsync(cancellationToken);
        }
        catch (WelkinTokenUnavailableException e)
        {
            writer.Error.WriteLine($"welkin-token: reading the token back failed ({e.Reason}): {e.Message}");
            return ExitCodes.KeyVaultError;
        }

        writer.Error.WriteLine($"    version {token.Version}, expires {token.ExpiresOn:yyyy-MM-dd'T'HH:mm:ss'Z'}");

        writer.Error.WriteLine($"3/3 Call: GET {sandbox.PingUrl.AbsolutePath} on Welkin with the bearer token");
        using var response = await consumer.GetRequiredService<IHttpClientFactory>().CreateClient("welkin")
            .GetAsync(sandbox.PingUrl.AbsolutePath, cancellationToken);
        writer.Error.WriteLine($"    {(int)response.StatusCode} {response.ReasonPhrase}");
        if (!response.IsSuccessStatusCode)
        {
            writer.Error.WriteLine("welkin-token: the sandbox Welkin did not accept the token.");
            return ExitCodes.WelkinUnavailable;
        }

        writer.Error.WriteLine("Sandbox cycle complete: the token went from Welkin to Key Vault to a consumer and back to Welkin.");
        return ExitCodes.Success;
    }
}
