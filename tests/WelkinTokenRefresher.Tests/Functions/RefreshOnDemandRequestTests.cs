using Moq;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Functions;

/// <summary>POST /api/token/refresh: the force query parameter and the request size.</summary>
public sealed class RefreshOnDemandRequestTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<ITokenRefresher> _refresher = new(MockBehavior.Strict);

    public RefreshOnDemandRequestTests()
    {
        _refresher.Setup(r => r.RefreshAsync(It.IsAny<RefreshTrigger>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((RefreshTrigger _, bool force, CancellationToken _) => new RefreshOutcome(
                RefreshStatus.Succeeded, true, force ? RefreshReasons.Forced : RefreshReasons.NoToken, "welkin-api-token",
                new StoredToken("welkin-api-token", "v", IssuedAt, IssuedAt.AddHours(1))));
    }

    private Task<Microsoft.AspNetCore.Mvc.IActionResult> RunAsync(string query, long? contentLength = null) =>
        new RefreshOnDemand(StubRegistry.Of(_refresher.Object)).Run(HttpCalls.Request("POST", query, contentLength), CancellationToken.None);

    [Theory]
    [InlineData("?force=true", true)]
    [InlineData("?force=True", true)]
    [InlineData("?force=false", false)]
    [InlineData("?force=", false)]
    [InlineData("", false)]
    [InlineData("?other=1", false)]
    public async Task Force_parameter_is_passed_to_the_refresher(string query, bool force)
    {
        var (status, json, _) = HttpCalls.Read(await RunAsync(query));

        Assert.Equal(200, status);
        Assert.Equal(force ? RefreshReasons.Forced : RefreshReasons.NoToken, json.GetProperty("reason").GetString());
        _refresher.Verify(r => r.RefreshAsync(RefreshTrigger.OnDemand, force, It.IsAny<CancellationToken>()), Times.Once);
        _refresher.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("?force=maybe")]
    [InlineData("?force=1")]
    [InlineData("?force=yes")]
    [InlineData("?force=true&force=true")]
    [InlineData("?force=true&force=false")]
    public async Task Bad_force_value_is_400_and_nothing_is_refreshed(string query)
    {
        var (status, json, _) = HttpCalls.Read(await RunAsync(query));

        Assert.Equal(400, status);
        Assert.Equal("bad-request", json.GetProperty("category").GetString());
        Assert.Contains("force", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["category", "client", "message"], HttpCalls.PropertyNames(json));
        _refresher.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(1025)]
    [InlineData(10 * 1024 * 1024)]
    public async Task Large_body_is_413_and_nothing_is_refreshed(long contentLength)
    {
        var (status, json, _) = HttpCalls.Read(await RunAsync("?force=true", contentLength));

        Assert.Equal(413, status);
        Assert.Equal("bad-request", json.GetProperty("category").GetString());
        _refresher.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    public async Task Small_or_empty_body_is_accepted(long contentLength)
    {
        var (status, _, _) = HttpCalls.Read(await RunAsync("", contentLength));

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Caller_cancellation_reaches_the_refresher()
    {
        using var cancel = new CancellationTokenSource();
        var request = HttpCalls.Request("POST");

        await new RefreshOnDemand(StubRegistry.Of(_refresher.Object)).Run(request, cancel.Token);

        _refresher.Verify(r => r.RefreshAsync(RefreshTrigger.OnDemand, false, cancel.Token), Times.Once);
    }
}
