using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

internal sealed partial class TokenVaultOptionsValidator : IValidateOptions<TokenVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenVaultOptions options)
    {
        var errors = new ValidationErrors();
        errors.RequireAbsoluteHttpUrl(options.Keys.VaultUri, options.VaultUri, requireHttps: true);
        if (!SecretNamePattern().IsMatch(options.SecretName ?? ""))
        {
            errors.Add(options.Keys.SecretName, $"must be 1-127 letters, digits or dashes, such as {TokenVaultOptions.DefaultSecretName}{ValidationErrors.NotShown}");
        }

        return errors.ToResult();
    }

    /// <summary>Key Vault's rule for a secret name.</summary>
    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    public static partial Regex SecretNamePattern();
}
