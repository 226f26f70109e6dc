using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// The client the library builds lets the SDK wait out a short Retry-After between its own tries, but ends the read at
/// once on a longer one, so that the token source (not a sleeping SDK) honours it.
/// </summary>
public sealed class RetryAfterOverHttpTests
{
    private static readonly Uri TokenVault = new("https://test-vault.vault.azure.net/");

    [Theory]
    [InlineData("60", 1)]
    [InlineData("0", 3)]
    public async Task A_Retry_After_longer_than_the_SDKs_longest_wait_ends_the_read_at_once_a_short_one_is_retried(string retryAfter, int requests)
    {
        var vault = new ThrottlingVault(retryAfter);
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = TokenVault;
            options.Credential = Credential();
            options.ConfigureSecretClient = client =>
            {
                client.Transport = new HttpClientTransport(new HttpClient(vault));
                client.Retry.Delay = TimeSpan.FromMilliseconds(1);
            };
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(
            () => provider.GetRequiredService<IWelkinTokenSource>().GetTokenAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(WelkinTokenUnavailableReason.Throttled, failure.Reason);
        Assert.Equal(requests, vault.SecretRequests);
    }

    [Fact]
    public async Task DisableChallengeResourceVerification_builds_its_own_client_rather_than_reuse_the_applications()
    {
        // A loopback port nothing listens on: the client the token source builds fails there at once.
        Uri closed;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = new Uri($"https://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        }

        using var registered = new VaultStubHandler(FakeVault.TokenValue("v1"), "v1", TimeProvider.System.GetUtcNow().AddHours(1));
        var services = new ServiceCollection();
        services.AddAzureClients(clients =>
        {
            clients.AddSecretClient(closed).ConfigureOptions(options =>
            {
                options.DisableChallengeResourceVerification = true;
                options.Transport = new HttpClientTransport(new HttpClient(registered));
            });
            clients.UseCredential(Credential());
        });
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = closed;
            options.DisableChallengeResourceVerification = true;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        // Its own client, not the registered one with its transport.
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(
            () => provider.GetRequiredService<IWelkinTokenSource>().GetTokenAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, registered.SecretReads);
    }

    private static TokenCredential Credential()
    {
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("key-vault-access-token", TimeProvider.System.GetUtcNow().AddHours(1)));
        return credential.Object;
    }

    /// <summary>Answers the challenge, then 429 with the given Retry-After to every read.</summary>
    private sealed class ThrottlingVault(string retryAfter) : HttpMessageHandler
    {
        private int _secretRequests;

        public int SecretRequests => Volatile.Read(ref _secretRequests);

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

            Interlocked.Increment(ref _secretRequests);
            var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            {
                Content = new StringContent("""{"error":{"code":"Throttled","message":"Too many requests."}}"""),
            };
            throttled.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return Task.FromResult(throttled);
        }
    }
}
