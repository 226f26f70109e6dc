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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        SentAuthorizations.Add(request.Headers.Authorization?.ToString());
        SentHeaderObjects.Add(request.Headers.Authorization);
        if (request.Content is not null)
        {
            // Read the body as a real transport would, so content that cannot be sent twice shows it.
            await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        return new HttpResponseMessage(_answers.Count > 1 ? _answers.Dequeue() : _answers.Peek());
    }
}
