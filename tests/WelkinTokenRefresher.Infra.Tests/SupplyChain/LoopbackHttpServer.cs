using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// A plain-HTTP server on 127.0.0.1 and a free port that answers each request with what <c>respond</c> returns for it
/// (status, JSON body). It stands in for the advisory services the audits ask.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<LoopbackRequest, (int Status, string Body)> _respond;
    private readonly Task _serving;

    public LoopbackHttpServer(Func<LoopbackRequest, (int Status, string Body)> respond)
    {
        _respond = respond;
        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public List<string> Requests { get; } = [];

    /// <summary>A loopback port nothing listens on (taken and released at once).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener throws once closed; nothing is left to serve.
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
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            lock (Requests)
            {
                Requests.Add($"{context.Request.HttpMethod} {path}");
            }

            var (status, body) = _respond(new LoopbackRequest(context.Request.HttpMethod, path, BaseUrl));
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}

/// <summary>A request to <see cref="LoopbackHttpServer"/>: its method, its path, and the server's own base URL.</summary>
internal sealed record LoopbackRequest(string Method, string Path, string BaseUrl);
