namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// Names of the Welkin API clients the refresher keeps a token for. The <c>Welkin</c> section itself is the client named
/// <see cref="DefaultName"/>; each <c>Welkin:Clients:{name}</c> section adds one.
/// </summary>
public static class WelkinClientSettings
{
    public const string DefaultName = "default";

    /// <summary>The configuration section of the named clients.</summary>
    public const string ClientsSectionName = "Welkin:Clients";

    /// <summary>The default secret name of a named client.</summary>
    public static string DefaultSecretName(string name) => $"welkin-api-token-{name}";
}
