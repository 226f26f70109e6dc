using System.Net;
using System.Text;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>How the answer body is read inside the pipeline: its size limit at the exact edge, and what gets disposed.</summary>
public sealed class WelkinAnswerHandlerTests : IDisposable
{
    private readonly RefresherHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>A usable answer (a token Key Vault can store) padded with a field of Welkin's to exactly <paramref name="bytes"/>.</summary>
    private byte[] AnswerOfExactly(int bytes)
    {
        var expiresAt = _harness.Time.GetUtcNow().AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string Answer(string padding) => $$"""{"token":"{{new string('a', 100)}}","expiresAt":"{{expiresAt}}","padding":"{{padding}}"}""";
        return Encoding.UTF8.GetBytes(Answer(new string('p', bytes - Encoding.UTF8.GetByteCount(Answer("")))));
    }

    [Fact]
    public async Task Body_of_exactly_64_KiB_with_its_content_length_is_read()
    {
        var body = AnswerOfExactly(WelkinAnswerHandler.MaxBodyBytes);
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(WelkinAnswerHandler.MaxBodyBytes, body.Length);
        Assert.Contains(token.Value, Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_over_64_KiB_is_refused_once_saying_so_and_disposed(bool withContentLength)
    {
        var body = AnswerOfExactly(WelkinAnswerHandler.MaxBodyBytes + 1);
        var content = new TrackedContent(body, withContentLength ? body.Length : null);
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = content };

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.InvalidResponse, e.Kind);
        Assert.Equal("Welkin's answer is larger than 64 KiB; a token answer is far smaller, so it is not read.", e.Message);
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.True(content.IsDisposed);
    }

    [Fact]
    public async Task Content_length_over_64_KiB_is_refused_without_reading_the_body()
    {
        var content = new TrackedContent(AnswerOfExactly(200), WelkinAnswerHandler.MaxBodyBytes + 1);
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = content };

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.InvalidResponse, e.Kind);
        Assert.False(content.WasRead);
    }

    [Fact]
    public async Task The_network_body_is_disposed_once_buffered()
    {
        var content = new TrackedContent(AnswerOfExactly(200), null);
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = content };

        await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.True(content.WasRead);
        Assert.True(content.IsDisposed);
    }

    [Fact]
    public async Task Body_of_a_failure_status_is_not_read_so_its_size_does_not_matter()
    {
        var content = new TrackedContent(new byte[WelkinAnswerHandler.MaxBodyBytes * 2], null);
        _harness.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = content };

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.Transient, e.Kind);
        Assert.False(content.WasRead);
    }

    /// <summary>A body that records whether it was read and disposed; its Content-Length may be declared or absent.</summary>
    private sealed class TrackedContent(byte[] bytes, long? declaredLength) : HttpContent
    {
        public bool WasRead { get; private set; }

        public bool IsDisposed { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            WasRead = true;
            return stream.WriteAsync(bytes).AsTask();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = declaredLength ?? 0;
            return declaredLength is not null;
        }

        protected override void Dispose(bool disposing)
        {
            IsDisposed = true;
            base.Dispose(disposing);
        }
    }
}
