using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>SECURITY.md says how to report privately, and every test it cites as evidence exists.</summary>
public sealed partial class SecurityPolicyTests
{
    private static readonly string Policy = File.ReadAllText(RepoPaths.Combine("SECURITY.md"));

    private static readonly string[] TestSources = Directory
        .EnumerateFiles(RepoPaths.Combine("tests"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Select(File.ReadAllText)
        .ToArray();

    [Fact]
    public void Every_test_the_policy_cites_exists()
    {
        var cited = CitedTest().Matches(Policy).Select(m => (Class: m.Groups["class"].Value, Method: m.Groups["method"].Value)).Distinct().ToList();
        Assert.True(cited.Count >= 30, $"Only {cited.Count} tests cited.");
        var missing = cited.Where(t => !TestSources.Any(source =>
                source.Contains($"class {t.Class}", StringComparison.Ordinal)
                && (t.Method.Length == 0 || Regex.IsMatch(source, $@"\b(void|Task) {Regex.Escape(t.Method)}\(")))).Select(t => $"{t.Class}.{t.Method}".TrimEnd('.'))
            .ToList();
        Assert.True(missing.Count == 0, $"SECURITY.md cites tests that do not exist:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public void Reports_go_through_private_vulnerability_reporting()
    {
        var section = Section("## Reporting a vulnerability");
        Assert.Contains("/security/advisories/new", section, StringComparison.Ordinal);
        Assert.Contains("never in a public issue", section, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("## Supported versions", "`WelkinTokenRefresher.Client`")]
    [InlineData("## Supported versions", "`welkin-token`")]
    [InlineData("## Supported versions", "Functions app")]
    [InlineData("## What is secret", "Welkin API secret")]
    [InlineData("## What is secret", "bearer tokens")]
    public void The_policy_covers(string heading, string subject) =>
        Assert.Contains(subject, Section(heading), StringComparison.Ordinal);

    [Theory]
    [InlineData("NuGet audit: NOT PERFORMED", ".ci/run")]
    [InlineData("NOT AUDITED", "security/npm-audit.mjs")]
    public void The_offline_messages_the_policy_quotes_are_the_ones_ci_prints(string message, string source)
    {
        Assert.Contains($"`{message}`", Policy, StringComparison.Ordinal);
        Assert.Contains(message, File.ReadAllText(RepoPaths.Combine(source.Split('/'))), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_points_at_the_policy() =>
        Assert.Contains("[SECURITY.md](SECURITY.md)", Docs.Text("README.md"), StringComparison.Ordinal);

    private static string Section(string heading)
    {
        var start = Policy.IndexOf($"\n{heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"SECURITY.md has no section '{heading}'.");
        var end = Policy.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return Policy[start..(end < 0 ? Policy.Length : end)];
    }

    // `SomethingTests.A_test_name` or a class alone: `SomethingTests`.
    [GeneratedRegex(@"`(?<class>\w+Tests)(\.(?<method>\w+))?`")]
    private static partial Regex CitedTest();
}
