using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>
/// Non-secret settings from the command line: overrides of the chosen client's settings, and <c>--verbose</c>. The API
/// secret is never an argument (process lists, shell history).
/// </summary>
internal sealed record CliSettings(string? VaultUri, string? SecretName, string? WelkinBaseUrl, bool Verbose = false)
{
    /// <summary>Whether any of the chosen client's settings is overridden.</summary>
    public bool Any => VaultUri is not null || SecretName is not null || WelkinBaseUrl is not null;

    /// <summary>The overrides as the chosen client's own keys (the default client's are <c>KeyVault:*</c> and <c>Welkin:*</c>).</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsConfiguration(string client)
    {
        var keys = new ClientKeys(client, []);
        if (VaultUri is not null)
        {
            yield return new(keys.Own(nameof(TokenVaultOptions.VaultUri)), VaultUri);
        }

        if (SecretName is not null)
        {
            yield return new(keys.Own(nameof(TokenVaultOptions.SecretName)), SecretName);
        }

        if (WelkinBaseUrl is not null)
        {
            yield return new(keys.Own(nameof(WelkinOptions.BaseUrl)), WelkinBaseUrl);
        }
    }
}
