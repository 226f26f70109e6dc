using System.Globalization;
using System.Net;
using System.Text;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// Stands in for Key Vault over HTTP: answers the authentication challenge, then the secret as JSON.
/// </summary>
internal sealed class VaultStubHandler(string tokenValue, string version, DateTimeOffset expiresOn) : HttpMessageHandler
{
    public int SecretReads { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null)
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation(
                "WWW-Authenticate",
                "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"");
            return Task.FromResult(challenge);
        }

        SecretReads++;
        string body = string.Create(
            CultureInfo.InvariantCulture,
            $$$"""{"value":"{{{tokenValue}}}","id":"{{{request.RequestUri!.GetLeftPart(UriPartial.Authority)}}}/secrets/welkin-api-token/{{{version}}}","contentType":"application/jwt","attributes":{"enabled":true,"exp":{{{expiresOn.ToUnixTimeSeconds()}}}}}""");
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });
    }
}
