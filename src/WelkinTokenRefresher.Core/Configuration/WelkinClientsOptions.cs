using Microsoft.Extensions.Configuration;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>Every configured Welkin API client, read from <c>Welkin</c> and <c>Welkin:Clients</c> and validated at start.</summary>
public sealed class WelkinClientsOptions
{
    /// <summary>The clients: <c>default</c> first when it exists, then the named ones in configuration (alphabetical) order.</summary>
    public IReadOnlyList<WelkinClientSettings> Clients { get; set; } = [];

    /// <summary>Sections under <c>Welkin:Clients</c> named <c>default</c>, which is reserved for the <c>Welkin</c> section itself.</summary>
    public IReadOnlyList<string> ReservedSections { get; set; } = [];

    /// <summary>
    /// The clients of <paramref name="configuration"/>. The <c>Welkin</c> section is the <c>default</c> client when no named
    /// clients are configured (so a missing key is still reported) or when it has credentials of its own.
    /// </summary>
    public static WelkinClientsOptions Read(IConfiguration configuration)
    {
        var welkin = configuration.GetSection(WelkinOptions.SectionName);
        var sections = configuration.GetSection(WelkinClientSettings.ClientsSectionName).GetChildren().ToList();
        var reserved = sections.Where(IsReserved).Select(section => section.Key).ToList();
        var named = sections.Where(section => !IsReserved(section))
            .Select(section => new WelkinClientSettings(section.Key, section["SecretName"] is { Length: > 0 } secret ? secret : WelkinClientSettings.DefaultSecretName(section.Key)))
            .ToList();
        var hasOwnCredentials = !string.IsNullOrWhiteSpace(welkin["ApiClient"]) || !string.IsNullOrWhiteSpace(welkin["Secret"]);
        if (named.Count == 0 || hasOwnCredentials)
        {
            var secretName = configuration[$"{KeyVaultOptions.SectionName}:SecretName"] is { Length: > 0 } s ? s : new KeyVaultOptions().SecretName;
            named.Insert(0, new WelkinClientSettings(WelkinClientSettings.DefaultName, secretName));
        }

        return new WelkinClientsOptions { Clients = named, ReservedSections = reserved };
    }

    private static bool IsReserved(IConfigurationSection section) =>
        string.Equals(section.Key, WelkinClientSettings.DefaultName, StringComparison.OrdinalIgnoreCase);
}
