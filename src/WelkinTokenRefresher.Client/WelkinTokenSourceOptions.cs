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
    /// The shortest time between the starts of two vault reads, whatever the last one found: a token (refresh ahead, re-reads
    /// after a 401) or a failure (callers get that failure from memory until the interval has passed). Keeps a token that
    /// stays in the refresh window, a burst of 401s, or a vault that answers with an error, from turning into a read per
    /// call. Default 30 seconds.
    /// </summary>
    public TimeSpan MinimumReadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After consecutive reads that the vault throttled (429) or did not serve (5xx, unreachable, no answer within
    /// <see cref="VaultReadTimeout"/>), the wait before the next read doubles from this value up to
    /// <see cref="MaxErrorBackoff"/>; it is never shorter than <see cref="MinimumReadInterval"/>, nor than a
    /// <c>Retry-After</c> the vault sent. Default 5 seconds (so with the defaults: 30, 30, 30, 40, 60, 60 … seconds).
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

    /// <summary>
    /// Turns off the Key Vault SDK's check that the vault's authentication challenge names a resource under the vault's
    /// own domain (<c>SecretClientOptions.DisableChallengeResourceVerification</c>). Only for an emulator such as
    /// <c>welkin-token sandbox</c>, whose loopback vault is not under <c>vault.azure.net</c>: never set it in Azure.
    /// Configuration key <c>DisableChallengeResourceVerification</c>. Default <see langword="false"/>.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }

    /// <summary>The configuration section the options were read from (e.g. <c>KeyVault</c>), so errors name full keys.</summary>
    internal string? ConfigurationPath { get; set; }
}
