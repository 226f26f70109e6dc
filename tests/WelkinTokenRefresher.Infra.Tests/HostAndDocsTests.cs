using System.Text.Json;
using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

public sealed partial class HostAndDocsTests
{
    [Fact]
    public void Host_json_sets_no_log_category_that_opentelemetry_mode_ignores()
    {
        // In OpenTelemetry mode the host emits no Host.Aggregator summaries; a level for that category does nothing.
        using var host = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("host.json")));
        Assert.Equal("OpenTelemetry", host.RootElement.GetProperty("telemetryMode").GetString());
        var categories = host.RootElement.GetProperty("logging").GetProperty("logLevel").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(categories, c => c.StartsWith("Host.Aggregator", StringComparison.OrdinalIgnoreCase));
        Assert.False(host.RootElement.GetProperty("logging").TryGetProperty("applicationInsights", out _));
    }

    [Fact]
    public void Every_document_the_infrastructure_cites_exists_with_the_cited_heading()
    {
        var citations = Directory.EnumerateFiles(RepoPaths.Combine("infra"), "*.bicep", SearchOption.AllDirectories)
            .SelectMany(file => Citation().Matches(File.ReadAllText(file)).Select(m => (File: file, Document: m.Groups[1].Value, Heading: m.Groups[2].Value)))
            .ToList();
        Assert.NotEmpty(citations);
        Assert.All(citations, c =>
        {
            var document = RepoPaths.Combine(c.Document.Split('/'));
            Assert.True(File.Exists(document), $"{c.File} cites {c.Document}, which does not exist.");
            if (c.Heading.Length > 0)
            {
                Assert.Matches(new Regex($"^#+ {Regex.Escape(c.Heading)}\\s*$", RegexOptions.Multiline), File.ReadAllText(document));
            }
        });
    }

    // e.g. README.md, "Alerts"  or  docs/reliability.md
    [GeneratedRegex(@"\b((?:docs/[\w./-]+|README)\.md)(?:, ""([^""]+)"")?")]
    private static partial Regex Citation();
}
