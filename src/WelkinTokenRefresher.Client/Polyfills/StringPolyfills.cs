#if NETSTANDARD2_0
namespace WelkinTokenRefresher.Client.Polyfills;

/// <summary>The string overloads with a <see cref="StringComparison"/> that .NET Core 2.1 added, for the shared sources (ordinal only).</summary>
internal static class StringPolyfills
{
    public static bool Contains(this string text, string value, StringComparison comparison) => text.IndexOf(value, comparison) >= 0;

    public static bool Contains(this string text, char value, StringComparison comparison) => text.IndexOf(value.ToString(), comparison) >= 0;

    // The shared sources pass StringComparison.Ordinal, which is what string.Replace(string, string) does.
    public static string Replace(this string text, string oldValue, string newValue, StringComparison comparison) =>
        comparison == StringComparison.Ordinal ? text.Replace(oldValue, newValue) : throw new ArgumentOutOfRangeException(nameof(comparison));
}
#endif
