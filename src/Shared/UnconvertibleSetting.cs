using Microsoft.Extensions.Configuration;

namespace WelkinTokenRefresher.Configuration;

/// <summary>
/// What to say when the configuration binder cannot convert a value, without the value: the binder's message (and its
/// inner exception) quotes it, and a secret pasted into the wrong setting would land in logs and on stderr. Compiled into
/// both the refresher (Core) and the client library.
/// </summary>
internal static class UnconvertibleSetting
{
    private const string BinderPrefix = "Failed to convert configuration value ";
    private const string TypeMarker = "' to type '";

    /// <summary>Whether <paramref name="e"/> is the binder failing to convert a value.</summary>
    public static bool IsBinderFailure(InvalidOperationException e) => e.Message.StartsWith(BinderPrefix, StringComparison.Ordinal);

    /// <summary>The setting and the type it needs, from the binder's message but without the value.</summary>
    /// <param name="binderMessage">The binder's message.</param>
    /// <param name="configuration">The configuration that was bound; its keys are the candidates.</param>
    /// <param name="scope">What to call that configuration when no key can be named.</param>
    public static string Describe(string binderMessage, IConfiguration configuration, string scope)
    {
        // The setting is looked up among the configured keys rather than cut out of the message, whose quoted value may
        // contain anything, the binder's own words included: the key named after the value is the one named last.
        var key = configuration.AsEnumerable()
            .Select(pair => (Key: (string?)pair.Key, At: binderMessage.LastIndexOf($"' at '{pair.Key}{TypeMarker}", StringComparison.Ordinal)))
            .Where(candidate => candidate.At >= 0)
            .DefaultIfEmpty()
            .MaxBy(candidate => candidate.At)
            .Key;
        var typeAt = binderMessage.LastIndexOf(TypeMarker, StringComparison.Ordinal);
        var type = typeAt < 0 ? "the type it needs" : ShortName(binderMessage[(typeAt + TypeMarker.Length)..].TrimEnd('.', '\''));
        return key is null
            ? $"A setting under {scope} has a value that cannot be read as {type}. The value is not shown: it may be a secret."
            : $"{key} has a value that cannot be read as {type} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}). The value is not shown: it may be a secret.";
    }

    private static string ShortName(string type) =>
        type.StartsWith("System.", StringComparison.Ordinal) && !type[7..].Contains('.', StringComparison.Ordinal) ? type[7..] : type;
}
