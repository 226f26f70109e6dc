using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>One client's Welkin settings, each problem named by the key in force for that client (<see cref="ClientKeys"/>).</summary>
internal sealed class WelkinOptionsValidator : IValidateOptions<WelkinOptions>
{
    public static readonly WelkinOptionsValidator Instance = new();

    public ValidateOptionsResult Validate(string? name, WelkinOptions options)
    {
        var errors = new ValidationErrors();
        var keys = options.Keys;
        // Plain http is allowed for local stand-ins; the real API is https.
        errors.RequireAbsoluteHttpUrl(keys.BaseUrl, options.BaseUrl, requireHttps: false);
        if (!WelkinApiKinds.IsKnown(options.Api))
        {
            errors.Add(keys.Api, $"must be '{WelkinApiKinds.AuthToken}' (POST /auth/token) or '{WelkinApiKinds.ApiClients}' (POST /{{tenant}}/admin/api_clients/{{apiClient}}){ValidationErrors.NotShown}");
        }
        else if (options.UsesApiClientsApi)
        {
            if (string.IsNullOrWhiteSpace(options.Tenant))
            {
                errors.Add(keys.Tenant, $"is required when {keys.Api} is '{WelkinApiKinds.ApiClients}': set it to the customer space (tenant) name in the token URL");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.TokenPath) || !options.TokenPath.StartsWith('/'))
        {
            errors.Add(keys.TokenPath, $"must be a path starting with '/', such as /auth/token{ValidationErrors.NotShown}");
        }

        RequireCredential(errors, keys.ApiClient, options.ApiClient, "the API client key from Welkin Admin > API Clients");
        RequireCredential(errors, keys.Secret, options.Secret, "the API client secret from Welkin Admin > API Clients (in Azure, a Key Vault reference)");
        errors.RequirePositive(keys.Timeout, options.Timeout, "00:00:15");
        if (options.Timeout > TimeSpan.FromMinutes(2))
        {
            errors.Add(keys.Timeout, $"must be at most 00:02:00, but is {options.Timeout}");
        }

        if (options.MaxTokenRequestsPer5Minutes is < 1 or > 100)
        {
            errors.Add(keys.MaxTokenRequestsPer5Minutes, $"must be between 1 and 100 (Welkin blocks a client above 100), but is {options.MaxTokenRequestsPer5Minutes}");
        }

        return errors.ToResult();
    }

    private static void RequireCredential(ValidationErrors errors, string key, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(key, $"is required: set it to {what}");
        }
        else if (KeyVaultReference.IsUnresolved(value))
        {
            errors.Add(key, "is a Key Vault reference that the platform could not resolve (the secret is missing, or the app's identity may not read it): fix the reference or the role, then restart the app");
        }
    }
}
