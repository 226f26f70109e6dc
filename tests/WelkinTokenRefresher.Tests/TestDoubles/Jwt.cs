using System.Buffers.Text;
using System.Text;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>Builds unsigned JWT-shaped tokens; the refresher only reads the exp claim.</summary>
public static class Jwt
{
    public static string WithPayload(string payloadJson, string signature = "c2lnbmF0dXJl") =>
        $"{Encode("""{"alg":"RS256","typ":"JWT"}""")}.{Encode(payloadJson)}.{signature}";

    public static string WithExp(DateTimeOffset exp, string signature = "c2lnbmF0dXJl") =>
        WithPayload($$"""{"sub":"api-client","iat":{{exp.ToUnixTimeSeconds() - 3600}},"exp":{{exp.ToUnixTimeSeconds()}}}""", signature);

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
