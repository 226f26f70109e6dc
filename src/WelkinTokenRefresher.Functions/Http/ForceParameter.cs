using Microsoft.Extensions.Primitives;

namespace WelkinTokenRefresher.Functions.Http;

/// <summary>The optional <c>force</c> query parameter: absent or empty is false; otherwise exactly true or false.</summary>
internal static class ForceParameter
{
    public static bool TryParse(StringValues values, out bool force)
    {
        force = false;
        return values.Count switch
        {
            0 => true,
            1 when string.IsNullOrEmpty(values[0]) => true,
            1 => bool.TryParse(values[0], out force),
            _ => false,
        };
    }
}
