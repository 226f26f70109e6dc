using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// Binds options without ever repeating a setting's value. The binder's own error for a value it cannot convert quotes
/// the value (and so does its inner exception): a secret pasted into the wrong setting would land in the host's start-up
/// log and on stderr. This error names the setting and the type it needs instead.
/// </summary>
internal static class QuietBinding
{
    private const string BinderPrefix = "Failed to convert configuration value ";
    private const string TypeMarker = "' to type '";

    /// <param name="bind">The binder call, written at the call site so the configuration binding generator sees the options type.</param>
    public static OptionsBuilder<TOptions> BindQuietly<TOptions>(
        this OptionsBuilder<TOptions> builder, IConfigurationSection section, Action<IConfigurationSection, TOptions> bind)
        where TOptions : class =>
        builder.Configure(options =>
        {
            try
            {
                bind(section, options);
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith(BinderPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(Unconvertible(e.Message, section));
            }
        });

    /// <summary>What to say about a value the binder could not convert, from its message but without the value.</summary>
    internal static string Unconvertible(string binderMessage, IConfigurationSection section)
    {
        // The setting is looked up among the configured keys rather than cut out of the message: the quoted value
        // before it may contain anything, quotes and " at '" included.
        var key = section.AsEnumerable()
            .Select(pair => pair.Key)
            .Where(k => binderMessage.Contains($"' at '{k}{TypeMarker}", StringComparison.Ordinal))
            .MaxBy(k => k.Length);
        var typeAt = binderMessage.LastIndexOf(TypeMarker, StringComparison.Ordinal);
        var type = typeAt < 0 ? null : binderMessage[(typeAt + TypeMarker.Length)..].TrimEnd('.', '\'');
        var needs = type is null ? "the type it needs" : ShortName(type);
        return key is null
            ? $"A setting under {section.Path} has a value that cannot be read as {needs}; see the README's configuration table. The value is not shown: it may be a secret."
            : $"{key} has a value that cannot be read as {needs} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}); see the README's configuration table. The value is not shown: it may be a secret.";
    }

    private static string ShortName(string type) =>
        type.StartsWith("System.", StringComparison.Ordinal) && !type[7..].Contains('.', StringComparison.Ordinal) ? type[7..] : type;
}
