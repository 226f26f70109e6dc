using Microsoft.Extensions.Configuration;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>Every configured Welkin API client, read from <c>Welkin</c> and <c>Welkin:Clients</c>.</summary>
public sealed class WelkinClientsOptions
{
    /// <summary>The clients, each with its keys: <c>default</c> first when it exists, then the named ones in configuration (alphabetical) order.</summary>
    public IReadOnlyList<ClientKeys> Clients { get; set; } = [];

    /// <summary>Whether a <c>Welkin:Clients:default</c> section exists: the name is the <c>Welkin</c> section's, so that is a problem of the default client.</summary>
    public bool HasReservedSection { get; set; }

    public IReadOnlyList<string> Names => [.. Clients.Select(c => c.Client)];

    /// <summary>
    /// The clients of <paramref name="configuration"/>. The <c>Welkin</c> section is the <c>default</c> client when it has
    /// credentials of its own, when no named clients are configured (so a missing key is still reported), or when a
    /// <c>Welkin:Clients:default</c> section claims the name (so that is reported too).
    /// </summary>
    public static WelkinClientsOptions Read(IConfiguration configuration)
    {
        var welkin = configuration.GetSection(WelkinOptions.SectionName);
        var sections = configuration.GetSection(WelkinClientSettings.ClientsSectionName).GetChildren().ToList();
        var reserved = sections.Any(IsReserved);
        var clients = sections.Where(section => !IsReserved(section)).Select(section => ClientKeys.Read(section.Key, configuration)).ToList();
        var hasOwnCredentials = !string.IsNullOrWhiteSpace(welkin[nameof(WelkinOptions.ApiClient)]) || !string.IsNullOrWhiteSpace(welkin[nameof(WelkinOptions.Secret)]);
        if (clients.Count == 0 || hasOwnCredentials || reserved)
        {
            clients.Insert(0, ClientKeys.Read(WelkinClientSettings.DefaultName, configuration));
        }

        return new WelkinClientsOptions { Clients = clients, HasReservedSection = reserved };
    }

    private static bool IsReserved(IConfigurationSection section) =>
        string.Equals(section.Key, WelkinClientSettings.DefaultName, StringComparison.OrdinalIgnoreCase);
}
