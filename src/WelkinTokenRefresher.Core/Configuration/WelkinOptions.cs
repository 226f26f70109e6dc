namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// How one client reaches Welkin's token endpoint: named options, one per client. The default client's are the
/// <c>Welkin</c> section; a named client's are its <c>Welkin:Clients:{name}</c> section over <c>Welkin</c>, except the
/// credentials (<c>ApiClient</c>, <c>Secret</c>), which are its own or missing.
/// </summary>
public sealed class WelkinOptions
{
    public const string SectionName = "Welkin";

    public Uri BaseUrl { get; set; } = new("https://api.welkinhealth.com");

    /// <summary>Older Welkin API generations used other token paths, so this is configuration, not a constant. Used by <c>auth-token</c> only.</summary>
    public string TokenPath { get; set; } = "/auth/token";

    /// <summary>Which token API: <see cref="WelkinApiKinds.AuthToken"/> (default) or <see cref="WelkinApiKinds.ApiClients"/>.</summary>
    public string Api { get; set; } = WelkinApiKinds.AuthToken;

    /// <summary>The customer space in the <c>api-clients</c> URL; required by that API, unused by <c>auth-token</c>.</summary>
    public string? Tenant { get; set; }

    public string ApiClient { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>Per-attempt HTTP timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Our own ceiling, far below Welkin's 100 per 5 minutes (which blocks the client for 5 minutes).</summary>
    public int MaxTokenRequestsPer5Minutes { get; set; } = 10;

    /// <summary>The client these options belong to, for logs and metrics. Not a configuration key: set from the client's name.</summary>
    internal string ClientName => Keys.Client;

    /// <summary>The keys these values came from (the client's own, or inherited), for messages. Not a configuration key.</summary>
    internal ClientKeys Keys { get; set; } = new(WelkinClientSettings.DefaultName, []);

    /// <summary>
    /// First retry delay before exponential growth and jitter. Not a configuration key: tests and simulations driven by
    /// fake time set it to zero.
    /// </summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool UsesApiClientsApi => Api == WelkinApiKinds.ApiClients;

    /// <summary>
    /// <c>auth-token</c>: <c>{BaseUrl}{TokenPath}</c>; <c>api-clients</c>: <c>{BaseUrl}/{Tenant}/admin/api_clients/{ApiClient}</c> with
    /// both segments escaped. Paths are appended rather than resolved against the base, which would drop a path in BaseUrl.
    /// </summary>
    public Uri TokenEndpoint => new(BaseUrl.AbsoluteUri.TrimEnd('/') + (UsesApiClientsApi
        ? $"/{Uri.EscapeDataString(Tenant ?? "")}/admin/api_clients/{Uri.EscapeDataString(ApiClient)}"
        : TokenPath));
}
