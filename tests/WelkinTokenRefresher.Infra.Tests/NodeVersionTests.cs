namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>npm warns EBADENGINE (and a user may not get a working install) when a pinned package rejects the README's Node.js.</summary>
public sealed class NodeVersionTests
{
    public static TheoryData<string> LockFiles => new()
    {
        "tools/azurite/package-lock.json",
        "docs/examples/javascript/package-lock.json",
    };

    [Fact]
    public void Pinned_azurite_declares_engines_that_admit_the_readme_node_version()
    {
        var lockFile = RepoPaths.Combine("tools", "azurite", "package-lock.json");
        var (_, range) = Assert.Single(NodeVersions.EngineRanges(lockFile), p => p.Package == "node_modules/azurite");
        Assert.All(NodeVersions.ReadmeMajors, major =>
            Assert.True(NodeVersions.Admits(range, major), $"Azurite declares node {range}; the README admits Node.js {major}."));
    }

    [Theory]
    [MemberData(nameof(LockFiles))]
    public void Every_locked_package_admits_the_readme_node_version(string lockFile)
    {
        var ranges = NodeVersions.EngineRanges(RepoPaths.Combine(lockFile.Split('/')));
        Assert.NotEmpty(ranges);
        Assert.All(NodeVersions.ReadmeMajors, major =>
        {
            var rejecting = ranges.Where(p => !NodeVersions.Admits(p.Range, major)).Select(p => $"{p.Package} ({p.Range})").ToList();
            Assert.True(rejecting.Count == 0, $"These packages reject Node.js {major}: {string.Join(", ", rejecting)}");
        });
    }

    [Fact]
    public void Readme_starts_the_pinned_azurite_not_whatever_npx_would_fetch()
    {
        // A bare `npx azurite` fetches the latest release, which may not run on the README's Node.js.
        var npxLines = Docs.Pages.SelectMany(page => Docs.Text(page).Split('\n')).Where(l => l.Contains("npx ", StringComparison.Ordinal) && l.Contains("azurite", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(npxLines);
        Assert.All(npxLines, l => Assert.Contains("npx --prefix tools/azurite azurite", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Admits_follows_npm_range_semantics()
    {
        Assert.True(NodeVersions.Admits(">=10.0.0", 20));
        Assert.True(NodeVersions.Admits("^18.19.0 || >=20.6.0", 20));
        Assert.False(NodeVersions.Admits(">=22.0.0", 20));
        Assert.False(NodeVersions.Admits(">=21.0.0", 20));
    }
}
