using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>Client names are lower-case letters, digits and hyphens; each client has a secret of its own.</summary>
internal sealed partial class WelkinClientsOptionsValidator : IValidateOptions<WelkinClientsOptions>
{
    public ValidateOptionsResult Validate(string? name, WelkinClientsOptions options)
    {
        var errors = new ValidationErrors();
        foreach (var reserved in options.ReservedSections)
        {
            errors.Add($"{WelkinClientSettings.ClientsSectionName}:{reserved}", "is not allowed: the client named 'default' is the Welkin section itself; give this client another name");
        }

        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var client in options.Clients)
        {
            var section = client.IsDefault ? WelkinOptions.SectionName : $"{WelkinClientSettings.ClientsSectionName}:{client.Name}";
            if (!client.IsDefault && !NamePattern().IsMatch(client.Name))
            {
                errors.Add(section, $"is not a valid client name: use 1-40 lower-case letters, digits and hyphens, such as 'live' or 'staging-eu', but it is '{client.Name}'");
            }

            var secretKey = client.IsDefault ? "KeyVault:SecretName" : client.Key("SecretName");
            if (!SecretNamePattern().IsMatch(client.SecretName))
            {
                // The default client's is KeyVault:SecretName, which KeyVaultOptionsValidator reports: one message per problem.
                if (!client.IsDefault)
                {
                    errors.Add(secretKey, $"must be 1-127 letters, digits or dashes, such as welkin-api-token{ValidationErrors.NotShown}");
                }
            }
            else if (!owners.TryAdd(client.SecretName, client.Name))
            {
                errors.Add(secretKey, $"'{client.SecretName}' is also the secret of client '{owners[client.SecretName]}': give each client a secret of its own");
            }
        }

        return errors.ToResult();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex SecretNamePattern();
}
