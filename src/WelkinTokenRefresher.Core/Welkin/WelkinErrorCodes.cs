using System.Text.Json;
using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// The <c>errorCode</c> values of a Welkin error body: a list <c>[{"errorCode": …}]</c> (the <c>api-clients</c> API) or a
/// single object. Only codes shaped like Welkin's (upper-case words and underscores) are kept, so nothing else of the
/// body, which might echo what was sent, reaches a message.
/// </summary>
internal static partial class WelkinErrorCodes
{
    /// <summary>How much of an error body is read: error lists are a few hundred bytes.</summary>
    public const int MaxBodyBytes = 4 * 1024;

    private const int MaxCodes = 5;

    public static IReadOnlyList<string> Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return [];
        }

        try
        {
            var entries = body.TrimStart(" \t\r\n"u8) is [(byte)'[', ..]
                ? JsonSerializer.Deserialize(body, WelkinJsonContext.Default.ListWelkinErrorEntry)
                : [JsonSerializer.Deserialize(body, WelkinJsonContext.Default.WelkinErrorEntry)];
            return [.. (entries ?? []).Select(e => e?.ErrorCode).OfType<string>().Where(c => CodePattern().IsMatch(c)).Distinct(StringComparer.Ordinal).Take(MaxCodes)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,63}$")]
    private static partial Regex CodePattern();
}
