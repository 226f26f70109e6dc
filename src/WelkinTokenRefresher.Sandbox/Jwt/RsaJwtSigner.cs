using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WelkinTokenRefresher.Sandbox.Json;

namespace WelkinTokenRefresher.Sandbox.Jwt;

/// <summary>Signs and verifies compact RS256 JWTs with an RSA key generated per instance.</summary>
internal sealed class RsaJwtSigner : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public string ExportPublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem();

    public string Sign<T>(T claims, JsonTypeInfo<T> claimsType)
    {
        var header = Base64Url.EncodeToString(
            JsonSerializer.SerializeToUtf8Bytes(new JwtHeader("RS256", "JWT", _keyId), SandboxJsonContext.Default.JwtHeader));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, claimsType));
        var signingInput = header + "." + payload;
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Returns the claims of a well-formed token signed by this key, or null for anything else.</summary>
    public T? ReadVerified<T>(string token, JsonTypeInfo<T> claimsType)
        where T : class
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[0]), SandboxJsonContext.Default.JwtHeader);
            if (header?.Algorithm != "RS256")
            {
                return null;
            }

            var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (!_rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return null;
            }

            return JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), claimsType);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _rsa.Dispose();
}
