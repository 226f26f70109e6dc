namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// The <c>KeyVault</c> section: the default client's vault (<c>VaultUri</c>, <c>SecretName</c>, read per client into
/// <see cref="TokenVaultOptions"/>) and what applies to every vault the app reaches.
/// </summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "KeyVault";

    /// <summary>
    /// For emulators only: a loopback vault is not a subdomain of the challenge's resource, which the SDK checks.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }
}
