using System.Runtime.CompilerServices;

namespace WelkinTokenRefresher.Client.Polyfills;

/// <summary>
/// Argument checks for every target: <c>ArgumentNullException.ThrowIfNull</c> and friends do not exist in .NET Standard 2.0,
/// and one code path serves all three builds. The throws sit in helpers, so the checks inline on the handler's hot path.
/// </summary>
internal static class Guard
{
    public static void NotNull([System.Diagnostics.CodeAnalysis.NotNull] object? argument, [CallerArgumentExpression(nameof(argument))] string? parameterName = null)
    {
        if (argument is null)
        {
            ThrowNull(parameterName);
        }
    }

    public static void NotNullOrWhiteSpace([System.Diagnostics.CodeAnalysis.NotNull] string? argument, [CallerArgumentExpression(nameof(argument))] string? parameterName = null)
    {
        NotNull(argument, parameterName);
        if (string.IsNullOrWhiteSpace(argument))
        {
            throw new ArgumentException("The value cannot be an empty string or composed entirely of whitespace.", parameterName);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNull(string? parameterName) => throw new ArgumentNullException(parameterName);
}
