namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// One Welkin API client the refresher keeps a token for. The <c>Welkin</c> section itself is the client named
/// <see cref="DefaultName"/>; each <c>Welkin:Clients:{name}</c> section adds one, its unset values inherited from <c>Welkin</c>.
/// </summary>
/// <param name="Name">The client's name: the <c>client</c> of the HTTP API, the CLI, logs and metrics.</param>
/// <param name="SecretName">The vault secret that holds its token (one lease blob per secret, so per client).</param>
public sealed record WelkinClientSettings(string Name, string SecretName)
{
    public const string DefaultName = "default";

    /// <summary>The configuration section of the named clients.</summary>
    public const string ClientsSectionName = "Welkin:Clients";

    public bool IsDefault => Name == DefaultName;

    /// <summary>The name of the client's <see cref="WelkinOptions"/>: the unnamed options for the default client, else its name.</summary>
    public string OptionsName => IsDefault ? Microsoft.Extensions.Options.Options.DefaultName : Name;

    /// <summary>The configuration key of one of the client's settings, as error messages name it.</summary>
    public string Key(string setting) => KeyOf(OptionsName, setting);

    /// <summary><c>Welkin:{setting}</c> for the default client (options name ""), <c>Welkin:Clients:{name}:{setting}</c> for the others.</summary>
    public static string KeyOf(string? optionsName, string setting) =>
        string.IsNullOrEmpty(optionsName) ? $"{WelkinOptions.SectionName}:{setting}" : $"{ClientsSectionName}:{optionsName}:{setting}";

    /// <summary>The default secret name of a named client.</summary>
    public static string DefaultSecretName(string name) => $"welkin-api-token-{name}";
}
