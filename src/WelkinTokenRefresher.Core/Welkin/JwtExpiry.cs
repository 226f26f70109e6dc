using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>Reads the <c>exp</c> claim of a JWT without validating it: we only need the expiry Welkin stamped.</summary>
internal static class JwtExpiry
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static DateTimeOffset? TryRead(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0 || parts[1].Length > 16 * 1024)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(parts[1].Length));
        try
        {
            if (!Base64Url.TryDecodeFromChars(parts[1], buffer, out var written))
            {
                return null;
            }

            var payload = JsonSerializer.Deserialize(buffer.AsSpan(0, written), WelkinJsonContext.Default.JwtPayload);
            // The fraction is dropped: a token is never taken to live longer than it says.
            return payload?.Exp is { } exp && exp >= 1 && exp <= MaxUnixSeconds
                ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(exp))
                : null;
        }
        // Base64Url throws on characters outside its alphabet rather than returning false.
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
