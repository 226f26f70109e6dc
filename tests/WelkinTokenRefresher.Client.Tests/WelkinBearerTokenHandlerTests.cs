using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

public sealed class WelkinBearerTokenHandlerTests
{
    private static readonly WelkinToken V1 = new(FakeVault.TokenValue("v1"), DateTimeOffset.UnixEpoch.AddYears(100), "v1");
    private static readonly WelkinToken V2 = new(FakeVault.TokenValue("v2"), DateTimeOffset.UnixEpoch.AddYears(100), "v2");

    [Fact]
    public async Task AttachesTheBearerTokenAndReusesOneHeaderObjectPerToken()
    {
        var source = SourceServing(V1, refreshedTo: V1);
        var inner = new StubInnerHandler(HttpStatusCode.OK);
        using var invoker = Pipeline(source, inner);

        using HttpResponseMessage first = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);
        using HttpResponseMessage second = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([$"Bearer {V1.Value}", $"Bearer {V1.Value}"], inner.SentAuthorizations);
        Assert.Same(inner.SentHeaderObjects[0], inner.SentHeaderObjects[1]);
        source.Verify(s => s.RefreshAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WaitsForATokenThatIsNotCachedYet()
    {
        var source = new Mock<IWelkinTokenSource>(MockBehavior.Strict);
        var pending = new TaskCompletionSource<WelkinToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Setup(s => s.GetTokenAsync(It.IsAny<CancellationToken>())).Returns(new ValueTask<WelkinToken>(pending.Task));
        var inner = new StubInnerHandler(HttpStatusCode.OK);
        using var invoker = Pipeline(source, inner);

        Task<HttpResponseMessage> sending = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);
        Assert.Empty(inner.SentAuthorizations);
        pending.SetResult(V1);
        using HttpResponseMessage response = await sending;

        Assert.Equal([$"Bearer {V1.Value}"], inner.SentAuthorizations);
    }

    [Fact]
    public async Task OnA401WithANewVersionInTheVaultRetriesExactlyOnceWithTheNewToken()
    {
        var source = SourceServing(V1, refreshedTo: V2);
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var invoker = Pipeline(source, inner);

        using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([$"Bearer {V1.Value}", $"Bearer {V2.Value}"], inner.SentAuthorizations);
        source.Verify(s => s.RefreshAsync("v1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OnA401WithTheSameVersionInTheVaultReturnsThe401WithoutRetrying()
    {
        var source = SourceServing(V1, refreshedTo: V1);
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized);
        using var invoker = Pipeline(source, inner);

        using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(inner.SentAuthorizations);
        source.Verify(s => s.RefreshAsync("v1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task WhenTheRetryIsAlso401ItIsReturnedAndTheHandlerNeverLoops()
    {
        var source = SourceServing(V1, refreshedTo: V2);
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized);
        using var invoker = Pipeline(source, inner);

        using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, inner.SentAuthorizations.Count);
        source.Verify(s => s.RefreshAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task OnA401AStreamBodyIsNotSentAgainAndThe401IsReturned()
    {
        var source = SourceServing(V1, refreshedTo: V2);
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var invoker = Pipeline(source, inner);
        using var body = new MemoryStream([1, 2, 3]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://welkin.test/x") { Content = new StreamContent(body) };

        using HttpResponseMessage response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(inner.SentAuthorizations);
    }

    [Fact]
    public async Task OnA401AStringBodyIsSentAgainWithTheNewToken()
    {
        var source = SourceServing(V1, refreshedTo: V2);
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var invoker = Pipeline(source, inner);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://welkin.test/x") { Content = new StringContent("{\"a\":1}") };

        using HttpResponseMessage response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([$"Bearer {V1.Value}", $"Bearer {V2.Value}"], inner.SentAuthorizations);
    }

    [Fact]
    public async Task OnA401AMultipartBodyWithAStreamPartIsNotSentAgain()
    {
        var source = SourceServing(V1, refreshedTo: V2);
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var invoker = Pipeline(source, inner);
        using var body = new MemoryStream([1, 2, 3]);
        using var multipart = new MultipartFormDataContent { { new StringContent("x"), "text" }, { new StreamContent(body), "file" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://welkin.test/x") { Content = multipart };

        using HttpResponseMessage response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(inner.SentAuthorizations);
    }

    [Fact]
    public async Task WhenTheReReadAfterA401FindsNoValidTokenTheCallerGetsTheReason()
    {
        var source = SourceServing(V1, refreshedTo: V1);
        source
            .Setup(s => s.RefreshAsync("v1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WelkinTokenUnavailableException(WelkinTokenUnavailableReason.Expired, "expired"));
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized);
        using var invoker = Pipeline(source, inner);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(
            () => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None));

        Assert.Equal(WelkinTokenUnavailableReason.Expired, failure.Reason);
        Assert.Single(inner.SentAuthorizations);
    }

#if CLIENT_NETSTANDARD
    // The .NET Standard 2.0 build has no synchronous Send to override: on .NET 5 to 7, which get that build,
    // HttpClient.Send passes the request on without a token (the package README says so).
    [Fact]
    public void OnTheNetStandardBuildASynchronousSendPassesThroughWithoutAToken()
    {
        var inner = new SynchronousInnerHandler();
        using var client = new HttpClient(new WelkinBearerTokenHandler(SourceServing(V1, V1).Object) { InnerHandler = inner });

        using HttpResponseMessage response = client.Send(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"));

        Assert.Equal([null], inner.SentAuthorizations);
    }

    private sealed class SynchronousInnerHandler : HttpMessageHandler
    {
        public List<string?> SentAuthorizations { get; } = [];

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            SentAuthorizations.Add(request.Headers.Authorization?.ToString());
            return new HttpResponseMessage(HttpStatusCode.OK);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }
#else
    [Fact]
    public void SynchronousSendsAreRefusedRatherThanSentWithoutAToken()
    {
        var source = SourceServing(V1, refreshedTo: V1);
        using var client = new HttpClient(new WelkinBearerTokenHandler(source.Object) { InnerHandler = new StubInnerHandler(HttpStatusCode.OK) });

        Assert.Throws<NotSupportedException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x")));
    }
#endif

    [Fact]
    public async Task The401PathNeverLogsTheToken()
    {
        var logs = new FakeLogCollector();
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized);
        foreach (WelkinToken refreshed in new[] { V1, V2 })
        {
            var handler = new WelkinBearerTokenHandler(SourceServing(V1, refreshed).Object, new FakeLogger<WelkinBearerTokenHandler>(logs)) { InnerHandler = inner };
            using var invoker = new HttpMessageInvoker(handler);
            using var request = new HttpRequestMessage(HttpMethod.Post, "https://welkin.test/x") { Content = new StreamContent(new MemoryStream([1])) };
            using HttpResponseMessage response = await invoker.SendAsync(request, CancellationToken.None);
        }

        Assert.Equal(2, logs.Count);
        Assert.All(logs.GetSnapshot(), log => Assert.DoesNotContain("secret-token-", log.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The401ReplacedByTheRetryIsDisposedAndTheRetryIsLogged()
    {
        var logs = new FakeLogCollector();
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var invoker = new HttpMessageInvoker(
            new WelkinBearerTokenHandler(SourceServing(V1, V2).Object, new FakeLogger<WelkinBearerTokenHandler>(logs)) { InnerHandler = inner });

        using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);

        Assert.Equal([true, false], inner.AnswerBodies.Select(body => body.IsDisposed));
        var retrying = Assert.Single(logs.GetSnapshot());
        Assert.Equal((5, LogLevel.Information), (retrying.Id.Id, retrying.Level));
    }

    [Fact]
    public async Task The401IsDisposedWhenTheReReadFailsInsteadOfReturningIt()
    {
        var source = SourceServing(V1, refreshedTo: V1);
        source
            .Setup(s => s.RefreshAsync("v1", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WelkinTokenUnavailableException(WelkinTokenUnavailableReason.VaultUnavailable, "down"));
        var inner = new StubInnerHandler(HttpStatusCode.Unauthorized);
        using var invoker = Pipeline(source, inner);

        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(
            () => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None));

        Assert.True(Assert.Single(inner.AnswerBodies).IsDisposed);
    }

#if !CLIENT_NETSTANDARD
    [Fact]
    public void SynchronousSendsAreRefusedWithAMessageThatSaysWhy()
    {
        using var client = new HttpClient(new WelkinBearerTokenHandler(SourceServing(V1, V1).Object) { InnerHandler = new StubInnerHandler(HttpStatusCode.OK) });

        var refused = Assert.Throws<NotSupportedException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x")));

        Assert.Contains("only asynchronous sends", refused.Message, StringComparison.Ordinal);
    }
#endif

    private static Mock<IWelkinTokenSource> SourceServing(WelkinToken token, WelkinToken refreshedTo)
    {
        var source = new Mock<IWelkinTokenSource>(MockBehavior.Strict);
        source.Setup(s => s.GetTokenAsync(It.IsAny<CancellationToken>())).Returns(new ValueTask<WelkinToken>(token));
        source.Setup(s => s.RefreshAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).Returns(new ValueTask<WelkinToken>(refreshedTo));
        return source;
    }

    private static HttpMessageInvoker Pipeline(Mock<IWelkinTokenSource> source, StubInnerHandler inner) =>
        new(new WelkinBearerTokenHandler(source.Object) { InnerHandler = inner });
}
