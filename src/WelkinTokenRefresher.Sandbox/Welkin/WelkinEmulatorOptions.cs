namespace WelkinTokenRefresher.Sandbox.Welkin;

/// <summary>Behaviour of the Welkin auth emulator.</summary>
public sealed record WelkinEmulatorOptions
{
    /// <summary><c>exp − iat</c> of issued tokens; Welkin's is one hour.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Token requests allowed in <see cref="RateWindow"/>; one more starts a block (Welkin: 100).</summary>
    public int RateLimit { get; init; } = 100;

    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan BlockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The tenant of the <c>api-clients</c> API's URL, <c>POST /{tenant}/admin/api_clients/{apiClient}</c>.</summary>
    public string Tenant { get; init; } = "sandbox";

    /// <summary>The <c>iss</c> claim of issued tokens.</summary>
    public string Issuer { get; init; } = "https://welkin-sandbox.invalid/auth";
}
