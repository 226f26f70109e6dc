using Azure;
using Azure.Security.KeyVault.Secrets;

namespace WelkinTokenRefresher.KeyVault;

/// <summary>
/// The one rule for "Key Vault says this secret is disabled", compiled into both the refresher (Core) and the client
/// library, so that the two can never disagree on it.
/// </summary>
internal static class DisabledSecret
{
    /// <summary>The inner error code Key Vault gives a read of a disabled version.</summary>
    public const string ErrorCode = "SecretDisabled";

    /// <summary>A version that was read and is marked disabled.</summary>
    public static bool Is(SecretProperties properties) => properties.Enabled == false;

    /// <summary>
    /// Key Vault refuses a read of a disabled version with 403, error code <c>Forbidden</c>, inner error code
    /// <c>SecretDisabled</c> and the message "Operation get is not allowed on a disabled secret."; which of these the SDK
    /// surfaces as <see cref="RequestFailedException.ErrorCode"/> differs between versions, so any of them counts, in any case.
    /// </summary>
    public static bool IsReadRefusal(RequestFailedException failure) =>
        failure.Status == 403
        && (string.Equals(failure.ErrorCode, ErrorCode, StringComparison.OrdinalIgnoreCase)
            || failure.Message.Contains(ErrorCode, StringComparison.OrdinalIgnoreCase)
            || failure.Message.Contains("disabled secret", StringComparison.OrdinalIgnoreCase));
}
