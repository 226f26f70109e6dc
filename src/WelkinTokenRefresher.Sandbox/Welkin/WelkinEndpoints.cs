using Microsoft.AspNetCore.Http;
using WelkinTokenRefresher.Sandbox.Hosting;

namespace WelkinTokenRefresher.Sandbox.Welkin;

/// <summary>
/// Maps HTTP onto <see cref="WelkinAuthEmulator"/>: <c>POST {tokenPath}</c> (the <c>auth-token</c> API),
/// <c>POST /{tenant}/admin/api_clients/{apiClient}</c> (the <c>api-clients</c> API) and <c>GET /v1/ping</c>.
/// </summary>
internal static class WelkinEndpoints
{
    public const string PingPath = "/v1/ping";

    // Far above any real credential body; a larger one is a client bug, answered like bad JSON.
    private const int MaxBodyBytes = 64 * 1024;

    public static RequestDelegate Create(WelkinAuthEmulator emulator, string tokenPath, TimeProvider time) => async context =>
    {
        var request = context.Request;
        EmulatorResponse response;
        if (PathIs(request, tokenPath))
        {
            response = HttpMethods.IsPost(request.Method)
                ? await emulator.HandleTokenRequestAsync(await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)
                : Plain(405);
        }
        else if (ApiClientsPath(request) is { } route)
        {
            response = HttpMethods.IsPost(request.Method)
                ? await emulator.HandleApiClientsTokenRequestAsync(route.Tenant, route.ApiClient, await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)
                : Plain(405);
        }
        else if (PathIs(request, PingPath))
        {
            response = HttpMethods.IsGet(request.Method) ? emulator.HandlePing(request.Headers.Authorization.FirstOrDefault()) : Plain(405);
        }
        else
        {
            response = Plain(404);
        }

        await EmulatorResponseWriter.WriteAsync(context, response, time).ConfigureAwait(false);
    };

    private static bool PathIs(HttpRequest request, string path) =>
        string.Equals(request.Path.Value?.TrimEnd('/'), path.TrimEnd('/'), StringComparison.Ordinal);

    /// <summary>The unescaped tenant and API client of <c>/{tenant}/admin/api_clients/{apiClient}</c>, or null for any other path.</summary>
    private static (string Tenant, string ApiClient)? ApiClientsPath(HttpRequest request)
    {
        // The raw target keeps escaped slashes in a segment escaped, so each segment splits where the client split it.
        var raw = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "";
        var path = raw.Split('?', 2)[0];
        var segments = path.Trim('/').Split('/');
        return segments is [{ Length: > 0 } tenant, "admin", "api_clients", { Length: > 0 } apiClient]
            ? (Uri.UnescapeDataString(tenant), Uri.UnescapeDataString(apiClient))
            : null;
    }

    private static EmulatorResponse Plain(int statusCode) => new(statusCode, [], null);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return [];
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
