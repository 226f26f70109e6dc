using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Where the Welkin token lives and how it is cached. Bind from configuration or set in code.
/// </summary>
public sealed class WelkinTokenSourceOptions
{
    /// <summary>The secret name the refresher writes by default.</summary>
    public const string DefaultSecretName = "welkin-api-token";

    /// <summary>The vault that holds the token, e.g. <c>https://my-vault.vault.azure.net/</c>. Required.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>The secret that holds the token. Defaults to <see cref="DefaultSecretName"/>.</summary>
    public string SecretName { get; set; } = DefaultSecretName;

    /// <summary>
    /// How long before the token expires the vault is read again, in the background, while the cached
    /// token keeps being served. Default 5 minutes (the refresher writes a new version 10 minutes before expiry).
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shortest time between two reads while a valid token is cached (refresh ahead and re-reads after a 401).
    /// Keeps a token that stays in the refresh window, or a burst of 401s, from flooding the vault. Default 30 seconds.
    /// </summary>
    public TimeSpan MinimumReadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The wait after a failed read before the next one while a still-valid cached token is served.
    /// Doubles with each consecutive failure up to <see cref="MaxErrorBackoff"/>. Default 5 seconds.
    /// </summary>
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between reads after repeated failures. Default 1 minute.</summary>
    public TimeSpan MaxErrorBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest a vault read may take, the SDK's own retries included. Every caller without a valid cached token waits
    /// for that read, so a vault that stops answering fails them with <see cref="WelkinTokenUnavailableReason.VaultUnavailable"/>
    /// after this long instead of holding them for minutes. Default 30 seconds; at most 5 minutes.
    /// </summary>
    public TimeSpan VaultReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The credential used to read the vault. <see langword="null"/> (the default) means <c>DefaultAzureCredential</c>.
    /// Not bound from configuration.
    /// </summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>
    /// Adjusts the <see cref="SecretClientOptions"/> of the client that reads the vault, e.g. to set a
    /// custom <c>Transport</c> or <c>DisableChallengeResourceVerification</c> for an emulator. Not bound from configuration.
    /// Runs after the library's own retry settings (2 retries, 10 s network timeout, at most 5 s between tries), so it can change them.
    /// </summary>
    public Action<SecretClientOptions>? ConfigureSecretClient { get; set; }
}
