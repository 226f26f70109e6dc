using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Chooses the <see cref="SecretClient"/> that reads the token. An application that registers its Azure clients the
/// Microsoft.Extensions.Azure way (<c>AddAzureClients</c>) has already chosen its credential, retries, transport and
/// diagnostics: its default <see cref="SecretClient"/> is reused when it points at the token vault, and its credential
/// when it does not. Anything set on <see cref="WelkinTokenSourceOptions"/> for the client (<c>Credential</c>,
/// <c>ConfigureSecretClient</c>, <c>DisableChallengeResourceVerification</c>) wins over the application's registration.
/// A client built here ends a read at once when the vault asks to wait longer than its retries would
/// (<see cref="Vault.LongRetryAfterPolicy"/>), so that the token source can honour that wait.
/// </summary>
internal static class SecretClientSelection
{
    // The name Microsoft.Extensions.Azure gives a client registered without WithName.
    private const string DefaultClientName = "Default";

    private static readonly IConfiguration EmptyConfiguration = new ConfigurationBuilder().Build();

    public static SecretClient Select(IServiceProvider services, WelkinTokenSourceOptions options, TimeProvider time)
    {
        if (options.Credential is null && options.ConfigureSecretClient is null && !options.DisableChallengeResourceVerification
            && RegisteredClient(services) is { } registered && registered.VaultUri == options.VaultUri)
        {
            return registered;
        }

        var clientOptions = new SecretClientOptions();
        // As the refresher sets them: the SDK's default (3 tries of up to 100 s each) would hold every waiting caller for
        // minutes; VaultReadTimeout bounds the whole read in any case.
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        clientOptions.DisableChallengeResourceVerification = options.DisableChallengeResourceVerification;
        options.ConfigureSecretClient?.Invoke(clientOptions);
        clientOptions.AddPolicy(new Vault.LongRetryAfterPolicy(clientOptions.Retry.MaxDelay, time), HttpPipelinePosition.PerCall);
        TokenCredential credential = options.Credential ?? RegisteredCredential(services) ?? new DefaultAzureCredential();
        return new SecretClient(options.VaultUri, credential, clientOptions);
    }

    private static SecretClient? RegisteredClient(IServiceProvider services)
    {
        // AddAzureClients registers the factory for every client type; only a registered SecretClient can be created.
        if (services.GetService<IAzureClientFactory<SecretClient>>() is not { } factory)
        {
            return null;
        }

        try
        {
            return factory.CreateClient(DefaultClientName);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // With no credential settings in the configuration given, the factory returns the application's UseCredential one.
    private static TokenCredential? RegisteredCredential(IServiceProvider services) =>
        services.GetService<AzureComponentFactory>()?.CreateTokenCredential(EmptyConfiguration);
}
