using System.Text.Json;
using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>Every KQL query the deployment runs or shows: the alert rules' and the workbook's, as deployed.</summary>
internal static partial class TelemetryQueries
{
    /// <summary>Rule name suffix (after alert-&lt;token&gt;-) to its query.</summary>
    public static IReadOnlyDictionary<string, string> AlertRules(BicepSnapshot snapshot) =>
        snapshot.OfType("Microsoft.Insights/scheduledQueryRules").ToDictionary(
            r => r.GetProperty("name").GetString()!.Split('-', 3)[2],
            r => Assert.Single(r.GetProperty("properties").GetProperty("criteria").GetProperty("allOf").EnumerateArray()).GetProperty("query").GetString()!);

    /// <summary>The workbook's content (serializedData, parsed).</summary>
    public static JsonElement Workbook(BicepSnapshot snapshot)
    {
        var workbook = Assert.Single(snapshot.OfType("Microsoft.Insights/workbooks"));
        using var document = JsonDocument.Parse(workbook.GetProperty("properties").GetProperty("serializedData").GetString()!);
        return document.RootElement.Clone();
    }

    /// <summary>Item name to query: the panels' and the Client picker's.</summary>
    public static IReadOnlyDictionary<string, string> WorkbookQueries(BicepSnapshot snapshot)
    {
        var items = Workbook(snapshot).GetProperty("items").EnumerateArray().ToList();
        var panels = items.Where(i => i.GetProperty("type").GetInt32() == 3)
            .Select(i => (Name: i.GetProperty("name").GetString()!, Query: i.GetProperty("content").GetProperty("query").GetString()!));
        var pickers = items.Where(i => i.GetProperty("type").GetInt32() == 9)
            .SelectMany(i => i.GetProperty("content").GetProperty("parameters").EnumerateArray())
            .Where(p => p.TryGetProperty("query", out _))
            .Select(p => (Name: $"parameter {p.GetProperty("name").GetString()}", Query: p.GetProperty("query").GetString()!));
        return panels.Concat(pickers).ToDictionary(q => q.Name, q => q.Query);
    }

    /// <summary>The runbook's queries (docs/operations.md, its kusto blocks), numbered in order.</summary>
    public static IReadOnlyDictionary<string, string> Runbook() =>
        KustoBlock().Matches(File.ReadAllText(RepoPaths.Combine("docs", "operations.md")))
            .Select((m, i) => (Name: $"runbook query {i + 1}", Query: string.Join('\n', m.Groups[1].Value.Split('\n').Select(l => l.Trim()))))
            .ToDictionary(q => q.Name, q => q.Query);

    /// <summary>Metric names a query filters on (<c>Name == "…"</c>).</summary>
    public static IReadOnlyList<string> MetricNames(string query) => [.. MetricName().Matches(query).Select(m => m.Groups[1].Value)];

    /// <summary>The keys of <c>Properties</c> a query reads.</summary>
    public static IReadOnlySet<string> PropertyKeys(string query) => PropertyKey().Matches(query).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The literal values a query compares <c>tostring(Properties.&lt;key&gt;)</c> with (<c>==</c> or <c>in (…)</c>).</summary>
    public static IReadOnlySet<string> ValuesComparedWith(string query, string key) =>
        Regex.Matches(query, $@"tostring\(Properties\.{key}\)\s*(?:==\s*""([^""]*)""|in\s*\(([^)]*)\))")
            .SelectMany(m => m.Groups[1].Success ? [m.Groups[1].Value] : Literal().Matches(m.Groups[2].Value).Select(l => l.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Log event ids a query filters on (as the exporter writes them: strings).</summary>
    public static IReadOnlySet<int> EventIds(string query) => ValuesComparedWith(query, "EventId").Select(int.Parse).ToHashSet();

    [GeneratedRegex("```kusto\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex KustoBlock();

    [GeneratedRegex(@"\bName == ""([^""]+)""")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"Properties\.(\w+)")]
    private static partial Regex PropertyKey();

    [GeneratedRegex(@"""([^""]*)""")]
    private static partial Regex Literal();
}
