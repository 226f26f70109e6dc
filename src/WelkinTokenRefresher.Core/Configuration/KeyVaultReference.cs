namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// App Service and Functions replace <c>@Microsoft.KeyVault(...)</c> in an app setting with the secret, and leave the text
/// as it is when they cannot (a missing secret, a denied identity). Such a value is a configuration error, never a credential.
/// </summary>
internal static class KeyVaultReference
{
    public static bool IsUnresolved(string value) => value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);
}
