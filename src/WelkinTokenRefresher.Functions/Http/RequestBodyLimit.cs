using Microsoft.AspNetCore.Http;

namespace WelkinTokenRefresher.Functions.Http;

/// <summary>Whether a request body is over a limit, whatever its framing, reading no more than the limit plus one byte.</summary>
internal static class RequestBodyLimit
{
    public static async Task<bool> IsExceededAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return true;
        }

        // A chunked body, or one whose Content-Length lies, tells its size only by being read.
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length > maxBytes;
    }
}
