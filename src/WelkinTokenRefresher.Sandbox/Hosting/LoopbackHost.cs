using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace WelkinTokenRefresher.Sandbox.Hosting;

/// <summary>A Kestrel server on 127.0.0.1 with one terminal request handler.</summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The bound address, e.g. <c>https://127.0.0.1:54321/</c>.</summary>
    public Uri BaseUri { get; }

    /// <param name="port">0 for an ephemeral port.</param>
    /// <param name="certificate">Serve HTTPS with this certificate, or plain HTTP when null.</param>
    public static async Task<LoopbackHost> StartAsync(int port, X509Certificate2? certificate, RequestDelegate handler, CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration or environment (ASPNETCORE_URLS etc.) and logs nothing.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
