using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

internal sealed partial class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        var errors = new ValidationErrors();
        errors.RequireAbsoluteHttpUrl("KeyVault:VaultUri", options.VaultUri, requireHttps: true);
        if (!SecretNamePattern().IsMatch(options.SecretName ?? ""))
        {
            errors.Add("KeyVault:SecretName", $"must be 1-127 letters, digits or dashes, such as welkin-api-token{ValidationErrors.NotShown}");
        }

        return errors.ToResult();
    }

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex SecretNamePattern();
}
