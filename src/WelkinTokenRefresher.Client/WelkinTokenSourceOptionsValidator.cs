using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Validates <see cref="WelkinTokenSourceOptions"/>, so that a misconfiguration fails at start-up rather than on the first
/// Welkin call. Options read from configuration are named by their full key (e.g. <c>KeyVault:VaultUri</c>) and
/// environment variable; options set in code by their property name.
/// </summary>
internal sealed class WelkinTokenSourceOptionsValidator : IValidateOptions<WelkinTokenSourceOptions>
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private static readonly TimeSpan MaxVaultReadTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Checks every option and reports all problems at once.</summary>
    /// <param name="name">The options name (each named source validates its own).</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure listing each problem.</returns>
    public ValidateOptionsResult Validate(string? name, WelkinTokenSourceOptions options)
    {
        Guard.NotNull(options);
        List<string> failures = [];
        string Key(string option) => options.ConfigurationPath is { } path ? $"{path}:{option}" : option;
        string Setting(string option) =>
            options.ConfigurationPath is null ? option : $"{Key(option)} (environment variable {Key(option).Replace(":", "__", StringComparison.Ordinal)})";

        if (options.VaultUri is not { IsAbsoluteUri: true } vaultUri || vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{Setting(nameof(options.VaultUri))} is required and must be an absolute https URI, e.g. https://my-vault.vault.azure.net/.");
        }

        if (string.IsNullOrEmpty(options.SecretName) || options.SecretName.Length > 127 || !options.SecretName.All(IsSecretNameCharacter))
        {
            failures.Add($"{Setting(nameof(options.SecretName))} must be 1 to 127 letters, digits or dashes (default 'welkin-api-token').");
        }

        if (options.RefreshBeforeExpiry <= TimeSpan.Zero || options.RefreshBeforeExpiry >= TokenLifetime)
        {
            failures.Add($"{Setting(nameof(options.RefreshBeforeExpiry))} must be more than zero and less than the one-hour token lifetime.");
        }

        if (options.MinimumReadInterval <= TimeSpan.Zero || options.MinimumReadInterval > options.RefreshBeforeExpiry)
        {
            failures.Add($"{Setting(nameof(options.MinimumReadInterval))} must be more than zero and at most {Key(nameof(options.RefreshBeforeExpiry))}.");
        }

        if (options.ErrorBackoff <= TimeSpan.Zero)
        {
            failures.Add($"{Setting(nameof(options.ErrorBackoff))} must be more than zero.");
        }

        if (options.MaxErrorBackoff < options.ErrorBackoff)
        {
            failures.Add($"{Setting(nameof(options.MaxErrorBackoff))} must be at least {Key(nameof(options.ErrorBackoff))}.");
        }

        if (options.VaultReadTimeout <= TimeSpan.Zero || options.VaultReadTimeout > MaxVaultReadTimeout)
        {
            failures.Add($"{Setting(nameof(options.VaultReadTimeout))} must be more than zero and at most 5 minutes (default 30 seconds).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Key Vault object names: letters, digits and dashes.
    private static bool IsSecretNameCharacter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-';
}
