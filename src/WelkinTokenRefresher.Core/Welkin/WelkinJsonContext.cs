using System.Text.Json.Serialization;

namespace WelkinTokenRefresher.Core.Welkin;

internal sealed record WelkinTokenRequest(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("apiClient")] string ApiClient)
{
    public override string ToString() => "WelkinTokenRequest";
}

// Strings, not DateTimeOffset, so an unparseable expiresAt is our error message, not a JsonException quoting the body.
internal sealed record WelkinTokenResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("expiresAt")] string? ExpiresAt)
{
    public override string ToString() => "WelkinTokenResponse";
}

// A NumericDate may carry a fraction (RFC 7519, section 2), so exp is read as a number, not an integer.
internal sealed record JwtPayload([property: JsonPropertyName("exp")] double? Exp);

[JsonSerializable(typeof(WelkinTokenRequest))]
[JsonSerializable(typeof(WelkinTokenResponse))]
[JsonSerializable(typeof(JwtPayload))]
internal sealed partial class WelkinJsonContext : JsonSerializerContext;
