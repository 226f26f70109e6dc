namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>The values of <c>Welkin:Api</c>: which of Welkin's two token APIs a client calls (a configuration contract).</summary>
public static class WelkinApiKinds
{
    /// <summary><c>POST {BaseUrl}{TokenPath}</c>, body <c>{"secret","apiClient"}</c>, answer <c>{"token","expiresAt"}</c>.</summary>
    public const string AuthToken = "auth-token";

    /// <summary>
    /// <c>POST {BaseUrl}/{Tenant}/admin/api_clients/{ApiClient}</c>, body <c>{"secret"}</c>, answer <c>{"token"}</c>
    /// (sometimes with <c>clientName</c> and <c>enabled</c>); the expiry is the JWT's <c>exp</c>.
    /// </summary>
    public const string ApiClients = "api-clients";

    public static bool IsKnown(string? api) => api is AuthToken or ApiClients;
}
