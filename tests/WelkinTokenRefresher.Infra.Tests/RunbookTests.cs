using System.Text.RegularExpressions;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// docs/operations.md covers every alert the template deploys and every failure category the app reports (issue 20,
/// item 6), each with what it means, what consumers see, the first checks, the fix and how to confirm recovery.
/// </summary>
public sealed partial class RunbookTests
{
    private static readonly string Runbook = File.ReadAllText(RepoPaths.Combine("docs", "operations.md"));

    /// <summary>Headings (outside code blocks) to the text under each, up to the next heading.</summary>
    private static Dictionary<string, string> Sections()
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? heading = null;
        var body = new List<string>();
        var inCode = false;
        foreach (var line in Runbook.Split('\n').Append("# end"))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (!inCode && line.StartsWith('#'))
            {
                if (heading is not null)
                {
                    sections[heading] = string.Join('\n', body);
                }

                (heading, body) = (line.TrimStart('#', ' '), []);
            }
            else
            {
                body.Add(line);
            }
        }

        return sections;
    }

    /// <summary>The sections whose heading names <paramref name="name"/> in backticks.</summary>
    private static string SectionOf(string name)
    {
        var section = Assert.Single(Sections(), s => Regex.IsMatch(s.Key, $"`(…-)?{Regex.Escape(name)}`"));
        return section.Value;
    }

    public static TheoryData<string> Alerts => [.. TelemetryQueries.AlertRules(Deployments.ThreeClientsDeployedAt).Keys];

    /// <summary>Every failure category the app can report, from its own mapping of every Welkin and Key Vault failure kind.</summary>
    public static TheoryData<string> Categories =>
    [
        .. Enum.GetValues<WelkinFailureKind>().Select(RefreshOutcome.Category)
            .Concat(Enum.GetValues<VaultFailureKind>().Select(RefreshOutcome.Category))
            .Distinct(),
    ];

    public static TheoryData<string> FailureOutcomes => [.. EmittedTelemetry.Instance.FailureOutcomes];

    [Theory]
    [MemberData(nameof(Alerts))]
    public void Every_alert_has_its_section_with_meaning_consumers_checks_fix_and_confirmation(string alert) =>
        AssertComplete(SectionOf(alert));

    [Theory]
    [MemberData(nameof(Categories))]
    public void Every_failure_category_has_its_section_with_meaning_consumers_checks_fix_and_confirmation(string category) =>
        AssertComplete(SectionOf(category));

    [Theory]
    [MemberData(nameof(FailureOutcomes))]
    public void Every_failure_outcome_has_its_section(string outcome) =>
        Assert.Contains(Sections().Keys, heading => heading.StartsWith($"`{outcome}`", StringComparison.Ordinal));

    [Fact]
    public void The_deploy_pages_alerts_link_the_runbook()
    {
        Assert.Contains("(operations.md)", Docs.Section("docs/deploy.md", "## Alerts"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runbooks_links_into_the_deploy_page_land_on_its_headings()
    {
        var anchors = Regex.Matches(Docs.Text("docs/deploy.md"), "^#+ (.+)$", RegexOptions.Multiline)
            .Select(m => Regex.Replace(m.Groups[1].Value.Trim().ToLowerInvariant().Replace(' ', '-'), "[^a-z0-9_-]", string.Empty))
            .ToHashSet(StringComparer.Ordinal);
        var links = Regex.Matches(Runbook, @"\(deploy\.md#([\w-]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.Contains(link, anchors));
    }

    private static void AssertComplete(string section)
    {
        Assert.Contains("**Means:**", section, StringComparison.Ordinal);
        Assert.Contains("**Consumers:**", section, StringComparison.Ordinal);
        Assert.Contains("**First checks", section, StringComparison.Ordinal);
        Assert.Contains("**Fix", section, StringComparison.Ordinal);
        Assert.Contains("Confirm", section, StringComparison.Ordinal);
    }
}
