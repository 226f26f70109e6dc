namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>How to reach Welkin's token endpoint. Bound from the <c>Welkin</c> configuration section.</summary>
public sealed class WelkinOptions
{
    public const string SectionName = "Welkin";

    public Uri BaseUrl { get; set; } = new("https://api.welkinhealth.com");

    /// <summary>Older Welkin API generations used other token paths, so this is configuration, not a constant.</summary>
    public string TokenPath { get; set; } = "/auth/token";

    public string ApiClient { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>Per-attempt HTTP timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Our own ceiling, far below Welkin's 100 per 5 minutes (which blocks the client for 5 minutes).</summary>
    public int MaxTokenRequestsPer5Minutes { get; set; } = 10;

    /// <summary>
    /// First retry delay before exponential growth and jitter. Not a configuration key: tests and simulations driven by
    /// fake time set it to zero.
    /// </summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>{BaseUrl}{TokenPath}</c>. The path is appended rather than resolved against the base, which would drop a path
    /// in BaseUrl (such as a tenant segment) because TokenPath starts with '/'.
    /// </summary>
    public Uri TokenEndpoint => new(BaseUrl.AbsoluteUri.TrimEnd('/') + TokenPath);
}
