using System.Net.Http.Json;
using System.Text.Json.Serialization;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.ExampleTests.Infrastructure;

/// <summary>Fetches a real token from the sandbox's Welkin stand-in, as the refresher would, to seed the vault with.</summary>
internal static class WelkinTokens
{
    public static async Task<IssuedToken> IssueAsync(WelkinSandbox sandbox)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(sandbox.WelkinBaseUrl, sandbox.TokenPath), new TokenRequest(sandbox.ApiClient, sandbox.Secret));
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return new IssuedToken(issued!.Token, DateTimeOffset.Parse(issued.ExpiresAt, System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record TokenRequest([property: JsonPropertyName("apiClient")] string ApiClient, [property: JsonPropertyName("secret")] string Secret);

    private sealed record TokenResponse([property: JsonPropertyName("token")] string Token, [property: JsonPropertyName("expiresAt")] string ExpiresAt);
}

internal sealed record IssuedToken(string Value, DateTimeOffset ExpiresAt);
