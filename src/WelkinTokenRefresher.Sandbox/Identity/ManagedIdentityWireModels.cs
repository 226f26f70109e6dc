using System.Text.Json.Serialization;

namespace WelkinTokenRefresher.Sandbox.Identity;

// The App Service managed identity protocol (api-version 2019-08-01) and the claims of its tokens.
internal sealed record ManagedIdentityTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_on")] string ExpiresOn,
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("client_id")] string ClientId);

internal sealed record ManagedIdentityErrorBody(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("message")] string Message);

internal sealed record ManagedIdentityClaims(
    [property: JsonPropertyName("aud")] string Audience,
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("nbf")] long NotBefore,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("appid")] string ClientId,
    [property: JsonPropertyName("oid")] string ObjectId,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("tid")] string TenantId);
