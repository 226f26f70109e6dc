using Microsoft.Extensions.Configuration;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// The one rule that names a client's configuration keys, for every message, log and status: the key whose value is in
/// force for that client, or where none is set, the key that sets it for that client alone. The default client's settings
/// are <c>Welkin:*</c>, and its vault's <c>KeyVault:VaultUri</c> and <c>KeyVault:SecretName</c>. A named client's setting is
/// its own <c>Welkin:Clients:{name}:*</c>, unless only the inherited <c>Welkin:*</c> (<c>KeyVault:VaultUri</c> for the
/// vault) is set. Credentials and the secret name are never inherited, so for them a named client's key is always its own.
/// </summary>
public sealed class ClientKeys
{
    /// <summary>The settings a named client never inherits.</summary>
    public static readonly IReadOnlySet<string> NeverInherited = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        nameof(WelkinOptions.ApiClient),
        nameof(WelkinOptions.Secret),
        nameof(TokenVaultOptions.SecretName),
    };

    private readonly HashSet<string> _inherited;

    /// <param name="client">The client's name (<see cref="WelkinClientSettings.DefaultName"/> for the <c>Welkin</c> section).</param>
    /// <param name="inheritedSettings">The settings a named client takes from <c>Welkin</c> (or <c>KeyVault</c>): set there, not in its own section.</param>
    public ClientKeys(string client, IEnumerable<string> inheritedSettings)
    {
        Client = client;
        _inherited = new HashSet<string>(inheritedSettings.Where(s => !NeverInherited.Contains(s)), StringComparer.OrdinalIgnoreCase);
    }

    public string Client { get; }

    public bool IsDefault => Client == WelkinClientSettings.DefaultName;

    /// <summary>The client's own section: <c>Welkin</c> for the default client, <c>Welkin:Clients:{name}</c> for the others.</summary>
    public string Section => IsDefault ? WelkinOptions.SectionName : $"{WelkinClientSettings.ClientsSectionName}:{Client}";

    public string BaseUrl => Of(nameof(WelkinOptions.BaseUrl));

    public string Api => Of(nameof(WelkinOptions.Api));

    public string Tenant => Of(nameof(WelkinOptions.Tenant));

    public string TokenPath => Of(nameof(WelkinOptions.TokenPath));

    public string ApiClient => Of(nameof(WelkinOptions.ApiClient));

    public string Secret => Of(nameof(WelkinOptions.Secret));

    public string Timeout => Of(nameof(WelkinOptions.Timeout));

    public string MaxTokenRequestsPer5Minutes => Of(nameof(WelkinOptions.MaxTokenRequestsPer5Minutes));

    public string VaultUri => Of(nameof(TokenVaultOptions.VaultUri));

    public string SecretName => Of(nameof(TokenVaultOptions.SecretName));

    /// <summary>The key whose value is in force for <paramref name="setting"/> (its own, or the inherited one).</summary>
    public string Of(string setting) => _inherited.Contains(setting) ? Inherited(setting) : Own(setting);

    /// <summary>The client's own key for <paramref name="setting"/>, set or not: where a value for this client alone goes.</summary>
    public string Own(string setting) => IsDefault ? Inherited(setting) : $"{Section}:{setting}";

    /// <summary>The environment variable of a configuration key (<c>:</c> becomes <c>__</c>).</summary>
    public static string EnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>The keys of <paramref name="client"/>, with what it inherits read from <paramref name="configuration"/>.</summary>
    public static ClientKeys Read(string client, IConfiguration configuration)
    {
        if (client == WelkinClientSettings.DefaultName)
        {
            return new(client, []);
        }

        static IEnumerable<string> Set(IConfigurationSection section) => section.GetChildren().Where(s => s.Value is not null).Select(s => s.Key);
        var own = Set(configuration.GetSection($"{WelkinClientSettings.ClientsSectionName}:{client}")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var vaultUri = configuration.GetSection($"{KeyVaultOptions.SectionName}:{nameof(TokenVaultOptions.VaultUri)}");
        var inheritable = Set(configuration.GetSection(WelkinOptions.SectionName)).Concat(vaultUri.Value is null ? [] : [vaultUri.Key]);
        return new(client, inheritable.Where(setting => !own.Contains(setting)));
    }

    // The default client's keys, and what named clients inherit: the vault's from KeyVault, the rest from Welkin.
    private static string Inherited(string setting) =>
        setting.Equals(nameof(TokenVaultOptions.VaultUri), StringComparison.OrdinalIgnoreCase) || setting.Equals(nameof(TokenVaultOptions.SecretName), StringComparison.OrdinalIgnoreCase)
            ? $"{KeyVaultOptions.SectionName}:{setting}"
            : $"{WelkinOptions.SectionName}:{setting}";

    public override string ToString() => Client;
}
