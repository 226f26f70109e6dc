using Microsoft.Extensions.Configuration;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>In-memory configuration with every required key set to a valid value.</summary>
public static class TestSettings
{
    public const string ApiClient = "api-client-key";
    public const string Secret = "api-client-secret";
    public const string VaultUri = "https://example.vault.azure.net/";
    public const string BaseUrl = "https://welkin.example";

    public static Dictionary<string, string?> Valid() => new()
    {
        ["Welkin:BaseUrl"] = BaseUrl,
        ["Welkin:ApiClient"] = ApiClient,
        ["Welkin:Secret"] = Secret,
        ["KeyVault:VaultUri"] = VaultUri,
    };

    public static IConfiguration Build(IDictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
