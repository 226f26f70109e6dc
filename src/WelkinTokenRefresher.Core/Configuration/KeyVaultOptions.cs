namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>Where the token is kept. Bound from the <c>KeyVault</c> configuration section.</summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "KeyVault";

    public Uri? VaultUri { get; set; }

    public string SecretName { get; set; } = "welkin-api-token";

    /// <summary>
    /// For emulators only: a loopback vault is not a subdomain of the challenge's resource, which the SDK checks.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }
}
