namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Reads a successful Welkin answer in full, inside the resilience pipeline: a connection that breaks mid-body, or a body
/// that drips past the per-attempt timeout (<c>Welkin:Timeout</c>, which covers headers and body alike), fails that attempt
/// as a transient error and the retry makes the next one. An answer over <see cref="MaxBodyBytes"/> is refused, not retried.
/// </summary>
internal sealed class WelkinAnswerHandler : DelegatingHandler
{
    public const int MaxBodyBytes = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        try
        {
            var body = await ReadBodyAsync(response.Content, cancellationToken);
            var buffered = new ByteArrayContent(body);
            buffered.Headers.ContentType = response.Content.Headers.ContentType;
            response.Content.Dispose();
            response.Content = buffered;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxBodyBytes + 1];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length > MaxBodyBytes ? throw TooLarge() : buffer[..length];
        }
        catch (IOException e)
        {
            // As HttpRequestException, so the retry strategy treats it like any other broken connection.
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection to Welkin broke while its answer was being read.", e);
        }
    }

    private static WelkinTokenException TooLarge() => new(
        WelkinFailureKind.InvalidResponse,
        $"Welkin's answer is larger than {MaxBodyBytes / 1024} KiB; a token answer is far smaller, so it is not read.");
}
