using System.Text.Json.Serialization;

namespace WelkinTokenRefresher.Core.Welkin;

internal sealed record WelkinTokenRequest(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("apiClient")] string ApiClient)
{
    public override string ToString() => "WelkinTokenRequest";
}

/// <summary>The <c>api-clients</c> API's body: the secret only, the API client is in the URL.</summary>
internal sealed record WelkinApiClientsTokenRequest([property: JsonPropertyName("secret")] string Secret)
{
    public override string ToString() => "WelkinApiClientsTokenRequest";
}

// Strings, not DateTimeOffset, so an unparseable expiresAt is our error message, not a JsonException quoting the body.
internal sealed record WelkinTokenResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("expiresAt")] string? ExpiresAt,
    [property: JsonPropertyName("enabled")] bool? Enabled = null)
{
    public override string ToString() => "WelkinTokenResponse";
}

/// <summary>One entry of an error body: <c>api-clients</c> answers a list of them, others a single object.</summary>
internal sealed record WelkinErrorEntry([property: JsonPropertyName("errorCode")] string? ErrorCode);

internal sealed record JwtPayload([property: JsonPropertyName("exp")] long? Exp);

[JsonSerializable(typeof(WelkinTokenRequest))]
[JsonSerializable(typeof(WelkinTokenResponse))]
[JsonSerializable(typeof(WelkinApiClientsTokenRequest))]
[JsonSerializable(typeof(WelkinErrorEntry))]
[JsonSerializable(typeof(List<WelkinErrorEntry>))]
[JsonSerializable(typeof(JwtPayload))]
internal sealed partial class WelkinJsonContext : JsonSerializerContext;
