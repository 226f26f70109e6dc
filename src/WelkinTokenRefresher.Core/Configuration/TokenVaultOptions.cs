namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// Where one client's token is kept: all that reading its status needs, apart from the Welkin settings. Named options, one
/// per client: the default client's from <c>KeyVault:VaultUri</c> and <c>KeyVault:SecretName</c>; a named client's from
/// <c>Welkin:Clients:{name}:VaultUri</c> (else <c>KeyVault:VaultUri</c>) and <c>Welkin:Clients:{name}:SecretName</c>
/// (else <c>welkin-api-token-{name}</c>).
/// </summary>
public sealed class TokenVaultOptions
{
    public const string DefaultSecretName = "welkin-api-token";

    public Uri? VaultUri { get; set; }

    public string SecretName { get; set; } = DefaultSecretName;

    /// <summary>The keys these values came from, for messages. Not a configuration key.</summary>
    internal ClientKeys Keys { get; set; } = new(WelkinClientSettings.DefaultName, []);
}
