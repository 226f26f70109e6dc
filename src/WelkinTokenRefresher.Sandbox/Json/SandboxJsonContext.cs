using System.Text.Json.Serialization;
using WelkinTokenRefresher.Sandbox.Identity;
using WelkinTokenRefresher.Sandbox.Jwt;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.Sandbox.Json;

// Absent optional fields are omitted rather than written as null, as the real services do.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(WelkinTokenRequest))]
[JsonSerializable(typeof(WelkinTokenResponse))]
[JsonSerializable(typeof(WelkinErrorBody))]
[JsonSerializable(typeof(WelkinErrorBody[]))]
[JsonSerializable(typeof(WelkinApiClientsTokenRequest))]
[JsonSerializable(typeof(WelkinApiClientsTokenResponse))]
[JsonSerializable(typeof(WelkinTokenClaims))]
[JsonSerializable(typeof(ManagedIdentityTokenResponse))]
[JsonSerializable(typeof(ManagedIdentityErrorBody))]
[JsonSerializable(typeof(ManagedIdentityClaims))]
[JsonSerializable(typeof(SecretSetRequest))]
[JsonSerializable(typeof(SecretUpdateRequest))]
[JsonSerializable(typeof(SecretBundle))]
[JsonSerializable(typeof(SecretListResult))]
[JsonSerializable(typeof(DeletedSecretBundle))]
[JsonSerializable(typeof(DeletedSecretListResult))]
[JsonSerializable(typeof(KeyVaultErrorBody))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
