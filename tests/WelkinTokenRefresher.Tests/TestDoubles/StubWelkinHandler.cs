using System.Net;
using System.Text;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>One request that reached the network end of the Welkin pipeline.</summary>
public sealed record SentRequest(HttpMethod Method, Uri? Uri, string? ContentType, string Body, DateTimeOffset SentAt, long? ContentLength = null, string? FullContentType = null);

/// <summary>
/// The primary handler of the Welkin typed client: records every request that reaches the network and answers with
/// <see cref="Respond"/>. Each recorded request is one attempt.
/// </summary>
public sealed class StubWelkinHandler(TimeProvider time) : HttpMessageHandler
{
    private readonly Lock _sync = new();
    private readonly List<SentRequest> _requests = [];

    /// <summary>Builds the answer to a request; may throw to simulate a connection failure.</summary>
    public Func<SentRequest, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.InternalServerError);

    public IReadOnlyList<SentRequest> Requests
    {
        get
        {
            lock (_sync)
            {
                return [.. _requests];
            }
        }
    }

    public int Attempts
    {
        get
        {
            lock (_sync)
            {
                return _requests.Count;
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read before the body: buffering the body would make any content's length known.
        var contentLength = request.Content?.Headers.ContentLength;
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var sent = new SentRequest(
            request.Method, request.RequestUri, request.Content?.Headers.ContentType?.MediaType, body, time.GetUtcNow(), contentLength, request.Content?.Headers.ContentType?.ToString());
        lock (_sync)
        {
            _requests.Add(sent);
        }

        var response = Respond(sent);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>Answers Welkin might give.</summary>
public static class WelkinAnswers
{
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Token(string token, DateTimeOffset expiresAt) =>
        Json($$"""{"token":"{{token}}","expiresAt":"{{expiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}"}""");

    public static HttpResponseMessage Status(HttpStatusCode status, string body = "") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}

/// <summary>A body whose length is not known up front, so the answer carries no Content-Length.</summary>
public sealed class UnknownLengthContent(byte[] bytes) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
