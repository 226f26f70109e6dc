namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>The primary handler of the Welkin client: notes when each token request leaves, on the test's clock.</summary>
public sealed class RecordingHandler(TimeProvider time, WelkinRequestLog log) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        log.Add(time.GetUtcNow());
        return base.SendAsync(request, cancellationToken);
    }
}
