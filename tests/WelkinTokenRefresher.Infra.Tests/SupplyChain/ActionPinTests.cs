using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// A tag can be moved to other code after review; a commit cannot. Every action and reusable workflow is referenced by
/// the full 40-hex SHA of a release commit, with the release it is in a comment beside it (what Dependabot updates).
/// </summary>
public sealed partial class ActionPinTests
{
    [Fact]
    public void Every_uses_names_a_full_commit_sha()
    {
        var uses = Workflows.All.SelectMany(w => w.Uses.Select(u => (w.FileName, Uses: u))).ToList();
        Assert.NotEmpty(uses);
        var unpinned = uses.Where(u => !PinnedReference().IsMatch(u.Uses)).Select(u => $"{u.FileName}: uses: {u.Uses}").ToList();
        Assert.True(unpinned.Count == 0,
            "Reference every action by the full 40-hex commit SHA of its release, with the version in a comment " +
            $"(uses: owner/repo@<sha> # vX.Y.Z):\n{string.Join('\n', unpinned)}");
    }

    [Fact]
    public void Every_pinned_line_names_its_release_in_a_comment()
    {
        var lines = Workflows.All
            .SelectMany(w => w.Lines.Select((line, index) => (w.FileName, Number: index + 1, Line: line)))
            .Where(l => UsesLine().IsMatch(l.Line))
            .ToList();
        Assert.Equal(Workflows.All.Sum(w => w.Uses.Count()), lines.Count);
        var bare = lines.Where(l => !CommentedUsesLine().IsMatch(l.Line)).Select(l => $"{l.FileName}:{l.Number}: {l.Line.Trim()}").ToList();
        Assert.True(bare.Count == 0, $"Write the release after the SHA (# vX.Y.Z):\n{string.Join('\n', bare)}");
    }

    [Fact]
    public void One_action_is_pinned_to_one_release_everywhere()
    {
        // Two SHAs of one action would mean one of them missed an update.
        var pins = Workflows.All
            .SelectMany(w => w.Lines)
            .Select(l => CommentedUsesLine().Match(l))
            .Where(m => m.Success)
            .GroupBy(m => m.Groups["repo"].Value)
            .Where(g => g.Select(m => (m.Groups["sha"].Value, m.Groups["version"].Value)).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.Groups["sha"].Value} # {m.Groups["version"].Value}").Distinct())}")
            .ToList();
        Assert.True(pins.Count == 0, $"Pin each action to one release in every workflow:\n{string.Join('\n', pins)}");
    }

    [Theory]
    [InlineData("actions/checkout@v4", false)]
    [InlineData("actions/checkout@main", false)]
    [InlineData("actions/checkout@3d3c42e", false)]
    [InlineData("actions/checkout@3D3C42E5AAC5BA805825DA76410C181273BA90B1", false)]
    [InlineData("docker://alpine:3", false)]
    [InlineData("./.github/actions/local", false)]
    [InlineData("actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", true)]
    [InlineData("github/codeql-action/init@8aad20d150bbac5944a9f9d289da16a4b0d87c1e", true)]
    public void A_pin_is_a_full_lower_case_commit_sha(string uses, bool pinned) =>
        Assert.Equal(pinned, PinnedReference().IsMatch(uses));

    [GeneratedRegex(@"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")]
    private static partial Regex PinnedReference();

    [GeneratedRegex(@"^\s*(-\s+)?uses:")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^\s*(-\s+)?uses:\s+(?<repo>[\w.-]+/[\w.-]+)(/[\w./-]+)?@(?<sha>[0-9a-f]{40})\s+#\s+(?<version>v\d+\.\d+\.\d+)\s*$")]
    private static partial Regex CommentedUsesLine();
}
