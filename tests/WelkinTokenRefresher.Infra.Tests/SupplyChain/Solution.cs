using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>The projects WelkinTokenRefresher.sln lists, as full paths.</summary>
internal static partial class Solution
{
    public static IReadOnlyList<string> Projects() =>
        ProjectLine().Matches(File.ReadAllText(RepoPaths.Combine("WelkinTokenRefresher.sln")))
            .Select(m => RepoPaths.Combine(m.Groups[1].Value.Split('\\')))
            .ToList();

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\) = ""[^""]+"", ""([^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
