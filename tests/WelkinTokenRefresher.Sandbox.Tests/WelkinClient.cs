using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WelkinTokenRefresher.Sandbox.Tests;

/// <summary>Plain HttpClient calls to the Welkin emulator, as a consumer makes them.</summary>
internal static class WelkinClient
{
    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, WelkinSandbox sandbox, string? apiClient = null, string? secret = null, CancellationToken cancellationToken = default) =>
        http.PostAsJsonAsync(
            new Uri(sandbox.WelkinBaseUrl, sandbox.TokenPath),
            new Dictionary<string, string> { ["secret"] = secret ?? sandbox.Secret, ["apiClient"] = apiClient ?? sandbox.ApiClient },
            cancellationToken);

    public static Task<HttpResponseMessage> SendRawAsync(HttpClient http, WelkinSandbox sandbox, string body) =>
        http.PostAsync(new Uri(sandbox.WelkinBaseUrl, sandbox.TokenPath), new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task<string> TokenAsync(HttpClient http, WelkinSandbox sandbox)
    {
        using var response = await RequestTokenAsync(http, sandbox);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    public static async Task<int> PingAsync(HttpClient http, WelkinSandbox sandbox, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.PingUrl);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>Verifies an RS256 JWT with the emulator's public key and returns its claims.</summary>
    public static JsonElement VerifiedClaims(WelkinSandbox sandbox, string token)
    {
        var parts = token.Split('.');
        using var rsa = RSA.Create();
        rsa.ImportFromPem(sandbox.Welkin.ExportSigningKeyPem());
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
    }
}
