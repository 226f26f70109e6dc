namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>The repository's README.md, cut into its Markdown sections.</summary>
internal static class Readme
{
    public static string Text { get; } = File.ReadAllText(RepoPaths.Combine("README.md"));

    /// <summary>The section under <paramref name="heading"/> (e.g. "### Alerts"), up to the next heading of the same or a higher level.</summary>
    public static string Section(string heading)
    {
        var lines = Text.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"README.md has no heading '{heading}'.");
        var level = heading.TakeWhile(c => c == '#').Count();
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith('#') && l.TakeWhile(c => c == '#').Count() <= level && l.Length > level && l[level] == ' ');
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }
}
