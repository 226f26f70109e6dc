using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

internal sealed class WelkinOptionsValidator : IValidateOptions<WelkinOptions>
{
    public ValidateOptionsResult Validate(string? name, WelkinOptions options)
    {
        var errors = new ValidationErrors();
        // The default client's keys are Welkin:*, a named client's Welkin:Clients:{name}:* (its unset values come from Welkin:*).
        string Key(string setting) => WelkinClientSettings.KeyOf(name, setting);
        // Plain http is allowed for local stand-ins; the real API is https.
        errors.RequireAbsoluteHttpUrl(Key("BaseUrl"), options.BaseUrl, requireHttps: false);
        if (string.IsNullOrWhiteSpace(options.TokenPath) || !options.TokenPath.StartsWith('/'))
        {
            errors.Add(Key("TokenPath"), $"must be a path starting with '/', such as /auth/token{ValidationErrors.NotShown}");
        }

        if (!WelkinApiKinds.IsKnown(options.Api))
        {
            errors.Add(Key("Api"), $"must be '{WelkinApiKinds.AuthToken}' (POST /auth/token) or '{WelkinApiKinds.ApiClients}' (POST /{{tenant}}/admin/api_clients/{{apiClient}}){ValidationErrors.NotShown}");
        }
        else if (options.UsesApiClientsApi && string.IsNullOrWhiteSpace(options.Tenant))
        {
            errors.Add(Key("Tenant"), $"is required when {Key("Api")} is '{WelkinApiKinds.ApiClients}': set it to the customer space (tenant) name in the token URL");
        }

        if (string.IsNullOrWhiteSpace(options.ApiClient))
        {
            errors.Add(Key("ApiClient"), "is required: set it to the API client key from Welkin Admin > API Clients");
        }

        if (string.IsNullOrWhiteSpace(options.Secret))
        {
            errors.Add(Key("Secret"), "is required: set it to the API client secret from Welkin Admin > API Clients (in Azure, a Key Vault reference)");
        }

        errors.RequirePositive(Key("Timeout"), options.Timeout, "00:00:15");
        if (options.Timeout > TimeSpan.FromMinutes(2))
        {
            errors.Add(Key("Timeout"), $"must be at most 00:02:00, but is {options.Timeout}");
        }

        if (options.MaxTokenRequestsPer5Minutes is < 1 or > 100)
        {
            errors.Add(Key("MaxTokenRequestsPer5Minutes"), $"must be between 1 and 100 (Welkin blocks a client above 100), but is {options.MaxTokenRequestsPer5Minutes}");
        }

        return errors.ToResult();
    }
}
