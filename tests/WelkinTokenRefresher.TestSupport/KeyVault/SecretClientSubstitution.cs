using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace WelkinTokenRefresher.TestSupport.KeyVault;

/// <summary>
/// Puts one <see cref="SecretClient"/> (an <see cref="InMemorySecretClient"/>, or a real one against the sandbox) in place
/// of every client's vault: the refresher creates each client's <see cref="SecretClient"/> through
/// <see cref="IAzureClientFactory{TClient}"/>, by client name.
/// </summary>
public static class SecretClientSubstitution
{
    public static IServiceCollection UseSecretClient(this IServiceCollection services, SecretClient vault) =>
        services.AddSingleton<IAzureClientFactory<SecretClient>>(new OneVault(_ => vault));

    /// <summary>Each client's vault chosen by client name.</summary>
    public static IServiceCollection UseSecretClients(this IServiceCollection services, Func<string, SecretClient> vaultOfClient) =>
        services.AddSingleton<IAzureClientFactory<SecretClient>>(new OneVault(vaultOfClient));

    private sealed class OneVault(Func<string, SecretClient> vaultOfClient) : IAzureClientFactory<SecretClient>
    {
        public SecretClient CreateClient(string name) => vaultOfClient(name);
    }
}
