using System.Net;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// The end of the pipeline: records the Authorization header of each send and answers with the queued status codes.
/// </summary>
internal sealed class StubInnerHandler(params HttpStatusCode[] answers) : HttpMessageHandler
{
    private readonly Queue<HttpStatusCode> _answers = new(answers);

    public List<string?> SentAuthorizations { get; } = [];

    public List<object?> SentHeaderObjects { get; } = [];

    /// <summary>The bodies of the answers given, in order; each knows whether its response was disposed.</summary>
    public List<TrackedContent> AnswerBodies { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        SentAuthorizations.Add(request.Headers.Authorization?.ToString());
        SentHeaderObjects.Add(request.Headers.Authorization);
        if (request.Content is not null)
        {
            // Read the body as a real transport would, so content that cannot be sent twice shows it.
            await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        var body = new TrackedContent();
        AnswerBodies.Add(body);
        return new HttpResponseMessage(_answers.Count > 1 ? _answers.Dequeue() : _answers.Peek()) { Content = body };
    }
}

/// <summary>An empty answer body that records whether it was disposed (with its response).</summary>
internal sealed class TrackedContent : HttpContent
{
    public bool IsDisposed { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => Task.CompletedTask;

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
