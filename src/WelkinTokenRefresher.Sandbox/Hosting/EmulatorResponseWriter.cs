using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace WelkinTokenRefresher.Sandbox.Hosting;

internal static class EmulatorResponseWriter
{
    public static async Task WriteAsync(HttpContext context, EmulatorResponse response, TimeProvider time)
    {
        if (response.AbortConnection)
        {
            context.Abort();
            return;
        }

        var http = context.Response;
        http.StatusCode = response.StatusCode;
        if (response.ContentType is not null)
        {
            http.ContentType = response.ContentType;
        }

        if (response.RetryAfter is { } retryAfter)
        {
            http.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (response.WwwAuthenticate is not null)
        {
            http.Headers.WWWAuthenticate = response.WwwAuthenticate;
        }

        var cancel = context.RequestAborted;
        if (response.DripChunks <= 1 || response.Body.Length == 0)
        {
            http.ContentLength = response.Body.Length;
            await http.Body.WriteAsync(response.Body, cancel).ConfigureAwait(false);
            return;
        }

        // A drip sends headers first, then the body slowly: a client's timeout must cover the whole body.
        await http.StartAsync(cancel).ConfigureAwait(false);
        var chunkSize = (int)Math.Ceiling(response.Body.Length / (double)response.DripChunks);
        for (var offset = 0; offset < response.Body.Length; offset += chunkSize)
        {
            if (offset > 0)
            {
                await Task.Delay(response.DripInterval, time, cancel).ConfigureAwait(false);
            }

            await http.Body.WriteAsync(response.Body.AsMemory(offset, Math.Min(chunkSize, response.Body.Length - offset)), cancel).ConfigureAwait(false);
            await http.Body.FlushAsync(cancel).ConfigureAwait(false);
        }
    }
}
