using System.Text.Json.Serialization;

namespace WelkinTokenRefresher.Sandbox.Jwt;

internal sealed record JwtHeader(
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("typ")] string Type,
    [property: JsonPropertyName("kid")] string KeyId);
