using System.Buffers;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Validates <see cref="WelkinTokenSourceOptions"/>, so that a misconfiguration fails at start-up rather than on the first Welkin call.
/// </summary>
internal sealed class WelkinTokenSourceOptionsValidator : IValidateOptions<WelkinTokenSourceOptions>
{
    // Key Vault object names: 1 to 127 characters, letters, digits and dashes.
    private static readonly SearchValues<char> SecretNameCharacters =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");

    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private static readonly TimeSpan MaxVaultReadTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Checks every option and reports all problems at once.</summary>
    /// <param name="name">The options name (unused: one token source per container).</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure listing each problem.</returns>
    public ValidateOptionsResult Validate(string? name, WelkinTokenSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];

        if (options.VaultUri is not { IsAbsoluteUri: true } vaultUri || vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add("VaultUri is required and must be an absolute https URI, e.g. https://my-vault.vault.azure.net/.");
        }

        if (string.IsNullOrEmpty(options.SecretName) || options.SecretName.Length > 127
            || options.SecretName.AsSpan().ContainsAnyExcept(SecretNameCharacters))
        {
            failures.Add("SecretName must be 1 to 127 letters, digits or dashes (default 'welkin-api-token').");
        }

        if (options.RefreshBeforeExpiry <= TimeSpan.Zero || options.RefreshBeforeExpiry >= TokenLifetime)
        {
            failures.Add("RefreshBeforeExpiry must be more than zero and less than the one-hour token lifetime.");
        }

        if (options.MinimumReadInterval <= TimeSpan.Zero || options.MinimumReadInterval > options.RefreshBeforeExpiry)
        {
            failures.Add("MinimumReadInterval must be more than zero and at most RefreshBeforeExpiry.");
        }

        if (options.ErrorBackoff <= TimeSpan.Zero)
        {
            failures.Add("ErrorBackoff must be more than zero.");
        }

        if (options.MaxErrorBackoff < options.ErrorBackoff)
        {
            failures.Add("MaxErrorBackoff must be at least ErrorBackoff.");
        }

        if (options.VaultReadTimeout <= TimeSpan.Zero || options.VaultReadTimeout > MaxVaultReadTimeout)
        {
            failures.Add("VaultReadTimeout must be more than zero and at most 5 minutes (default 30 seconds).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
