using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.Sandbox;

/// <summary>A further Welkin API client of the sandbox, on a Welkin emulator of its own.</summary>
/// <param name="Name">The refresher's client name for it (<c>Welkin:Clients:{Name}</c>).</param>
/// <param name="Welkin">Its emulator: credentials, rate window, faults, counters.</param>
/// <param name="WelkinBaseUrl">Its emulator's base URL.</param>
public sealed record SandboxApiClient(string Name, WelkinAuthEmulator Welkin, Uri WelkinBaseUrl)
{
    /// <summary>The protected endpoint of its emulator, which accepts only its tokens.</summary>
    public Uri PingUrl => new(WelkinBaseUrl, "/v1/ping");
}
