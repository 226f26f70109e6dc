namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>The repository's Markdown pages (README.md, docs/*.md), each cut into its sections.</summary>
internal static class Docs
{
    /// <summary>The text of a page, by its path from the repository root (e.g. "docs/deploy.md").</summary>
    public static string Text(string page) => File.ReadAllText(RepoPaths.Combine(page.Split('/'))).ReplaceLineEndings("\n");

    /// <summary>
    /// The section of <paramref name="page"/> under <paramref name="heading"/> (e.g. "## Alerts"), up to the next heading of
    /// the same or a higher level; a page's title ("# Deploy") gives the whole page.
    /// </summary>
    public static string Section(string page, string heading)
    {
        var lines = Text(page).Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"{page} has no heading '{heading}'.");
        var level = heading.TakeWhile(c => c == '#').Count();
        var fence = false;
        var end = -1;
        for (var i = start + 1; i < lines.Length && end < 0; i++)
        {
            fence ^= lines[i].StartsWith("```", StringComparison.Ordinal);
            if (!fence && lines[i].StartsWith('#') && lines[i].TakeWhile(c => c == '#').Count() <= level && lines[i].Length > level && lines[i][level] == ' ')
            {
                end = i;
            }
        }

        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    /// <summary>README.md and every page under docs/ (paths from the repository root, with '/').</summary>
    public static IReadOnlyList<string> Pages { get; } =
        [
            "README.md",
            .. Directory.EnumerateFiles(RepoPaths.Combine("docs"), "*.md", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/'))
                .Where(path => !path.Contains("/node_modules/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal),
        ];
}
