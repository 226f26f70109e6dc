namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>One function's place in the host's routing.</summary>
internal sealed record HttpRoute(LoadedFunction Function, string[] Template, IReadOnlySet<string> Methods, string AuthLevel)
{
    /// <summary>Literal segments match case-insensitively, <c>{name}</c> any one segment, <c>{*name}</c> the rest.</summary>
    public bool Matches(string[] path)
    {
        for (var i = 0; i < Template.Length; i++)
        {
            var part = Template[i];
            if (part.StartsWith("{*", StringComparison.Ordinal))
            {
                return true;
            }

            if (i >= path.Length)
            {
                return part.StartsWith('{') && part.EndsWith("?}", StringComparison.Ordinal);
            }

            if (!part.StartsWith('{') && !string.Equals(part, path[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return path.Length == Template.Length;
    }
}
