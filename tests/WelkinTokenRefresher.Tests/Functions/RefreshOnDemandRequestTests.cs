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
        _refresher.Setup(r => r.RefreshAsync(It.IsAny<RefreshTrigger>(), It.IsAny<bool>(), It.IsAny<CancellationToken>(), It.IsAny<DateTimeOffset?>()))
            .ReturnsAsync((RefreshTrigger _, bool force, CancellationToken _, DateTimeOffset? _) => new RefreshOutcome(
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
        _refresher.Verify(r => r.RefreshAsync(RefreshTrigger.OnDemand, force, It.IsAny<CancellationToken>(), null), Times.Once);
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
    [InlineData(1025)]
    [InlineData(50 * 1024 * 1024)]
    public async Task Chunked_body_over_1_KiB_is_413_and_nothing_is_refreshed(int length)
    {
        var request = HttpCalls.Request("POST", "?force=true", new MemoryStream(new byte[length]));

        var (status, json, _) = HttpCalls.Read(await new RefreshOnDemand(StubRegistry.Of(_refresher.Object)).Run(request, CancellationToken.None));

        Assert.Equal(413, status);
        Assert.Equal("bad-request", json.GetProperty("category").GetString());
        _refresher.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Endless_chunked_body_is_413_after_reading_one_byte_past_the_limit()
    {
        var body = new EndlessStream();
        var request = HttpCalls.Request("POST", "", body);

        var (status, _, _) = HttpCalls.Read(await new RefreshOnDemand(StubRegistry.Of(_refresher.Object)).Run(request, CancellationToken.None));

        Assert.Equal(413, status);
        Assert.Equal(1025, body.BytesRead);
        _refresher.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Body_longer_than_its_content_length_says_is_413()
    {
        var request = HttpCalls.Request("POST", "", new MemoryStream(new byte[4096]), contentLength: 16);

        var (status, _, _) = HttpCalls.Read(await new RefreshOnDemand(StubRegistry.Of(_refresher.Object)).Run(request, CancellationToken.None));

        Assert.Equal(413, status);
        _refresher.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    public async Task Chunked_body_of_at_most_1_KiB_is_accepted(int length)
    {
        var request = HttpCalls.Request("POST", "", new MemoryStream(new byte[length]));

        var (status, _, _) = HttpCalls.Read(await new RefreshOnDemand(StubRegistry.Of(_refresher.Object)).Run(request, CancellationToken.None));

        Assert.Equal(200, status);
    }

    /// <summary>A chunked body that never ends; counts what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Like a network stream: a few bytes at a time.
            var read = Math.Min(count, 100);
            buffer.AsSpan(offset, read).Fill((byte)'x');
            BytesRead += read;
            return read;
        }

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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

        _refresher.Verify(r => r.RefreshAsync(RefreshTrigger.OnDemand, false, cancel.Token, null), Times.Once);
    }
}
