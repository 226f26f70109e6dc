using System.Text.Json.Serialization;

namespace WelkinTokenRefresher.Sandbox.Welkin;

// The JSON shapes of Welkin's token endpoint and of the claims in its tokens.
internal sealed record WelkinTokenRequest(
    [property: JsonPropertyName("secret")] string? Secret,
    [property: JsonPropertyName("apiClient")] string? ApiClient);

// The api-clients API: the secret only (the API client is in the URL), and an answer without expiry.
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record WelkinApiClientsTokenRequest([property: JsonPropertyName("secret")] string? Secret);

internal sealed record WelkinApiClientsTokenResponse(
    [property: JsonPropertyName("clientName")] string ClientName,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("enabled")] bool Enabled);

internal sealed record WelkinTokenResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("expiresAt")] string? ExpiresAt);

internal sealed record WelkinErrorBody(
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message);

internal sealed record WelkinTokenClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("jti")] string TokenId,
    [property: JsonPropertyName("token_use")] string TokenUse);
