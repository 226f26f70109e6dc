using System.Collections.Specialized;
using System.Net;
using System.Net.Sockets;

namespace WelkinTokenRefresher.ExampleTests.Infrastructure;

/// <summary>
/// A loopback stand-in for a protected Welkin endpoint whose answers the test controls: it keeps the headers of every
/// request, answers 401 to a token the test rejects and 200 to anything else. The 401s come back spread out (the n-th
/// after n × <see cref="RejectionSpacing"/>), as they do from a real API, so callers that hold the same rejected token
/// learn it one after another rather than all within one vault read.
/// </summary>
internal sealed class ProbeEndpoint : IDisposable
{
    public static readonly TimeSpan RejectionSpacing = TimeSpan.FromMilliseconds(50);

    private readonly HttpListener _listener = new();
    private readonly List<NameValueCollection> _received = [];
    private readonly Task _loop;
    private string? _rejectedAuthorization;
    private int _rejections;

    public ProbeEndpoint()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/probe/");
            probe.Stop();
        }

        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<NameValueCollection> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>From now on, requests bearing <paramref name="token"/> are answered 401.</summary>
    public void Reject(string token) => Volatile.Write(ref _rejectedAuthorization, $"Bearer {token}");

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync: that is how the loop ends.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        lock (_received)
        {
            _received.Add(new NameValueCollection(context.Request.Headers));
        }

        if (context.Request.Headers["Authorization"] == Volatile.Read(ref _rejectedAuthorization))
        {
            await Task.Delay(RejectionSpacing * Interlocked.Increment(ref _rejections), TimeProvider.System);
            context.Response.StatusCode = 401;
        }
        else
        {
            context.Response.StatusCode = 200;
        }

        context.Response.Close();
    }
}
