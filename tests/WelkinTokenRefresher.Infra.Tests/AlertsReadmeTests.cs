using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// README's "Alerts" and cost figures follow from the deployed rules (issue 20, items 1 and 4): the rule table, the
/// timing table (analysis: its terms are the sourced figures named in the README) and the cost per time series.
/// </summary>
public sealed partial class AlertsReadmeTests
{
    // The timing table's terms, as README names and sources them.
    private static readonly TimeSpan Export = TimeSpan.FromSeconds(60);          // OpenTelemetry .NET's metric export interval
    private static readonly TimeSpan IngestionMin = TimeSpan.FromSeconds(20);    // Azure Monitor: "between 20 seconds
    private static readonly TimeSpan IngestionMax = TimeSpan.FromMinutes(3);     // and 3 minutes"
    private static readonly TimeSpan ThreeTimeoutsMin = TimeSpan.FromSeconds(45); // Welkin:Timeout 15 s × 3
    private static readonly TimeSpan ThreeTimeoutsMax = TimeSpan.FromSeconds(65); // + two backoffs of at most 10 s

    private static readonly TimeSpan DueTick = TimeSpan.FromMinutes(50);

    private static string Alerts => Docs.Section("docs/deploy.md", "## Alerts");

    private static (TimeSpan Frequency, TimeSpan Window, bool PerClient) Rule(string suffix)
    {
        var rule = Deployments.ThreeClientsDeployedAt.Resource("Microsoft.Insights/scheduledQueryRules", $"/alert-4yfan3patq3vg-{suffix}").GetProperty("properties");
        var criterion = Assert.Single(rule.GetProperty("criteria").GetProperty("allOf").EnumerateArray());
        return (XmlConvert.ToTimeSpan(rule.GetProperty("evaluationFrequency").GetString()!),
            XmlConvert.ToTimeSpan(rule.GetProperty("windowSize").GetString()!),
            criterion.TryGetProperty("dimensions", out var d) && d.GetArrayLength() > 0);
    }

    private static IReadOnlyList<string> Suffixes => [.. TelemetryQueries.AlertRules(Deployments.ThreeClientsDeployedAt).Keys];

    private static string[] Row(string table, string firstCell) =>
        Assert.Single(table.Split('\n'), l => l.StartsWith($"| {firstCell} |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)[1..^1];

    private static string T(TimeSpan at) => $"*T*+{(int)at.TotalMinutes}:{at.Seconds:00}";

    [Fact]
    public void The_rule_table_gives_each_deployed_rules_frequency_window_and_split()
    {
        Assert.All(Suffixes, suffix =>
        {
            var (frequency, window, perClient) = Rule(suffix);
            var row = Row(Alerts, $"`…-{suffix}`");
            Assert.Equal($"{frequency.TotalMinutes} min / {window.TotalMinutes} min", row[2]);
            Assert.Equal(perClient, row[3] == "client");
        });
        Assert.Equal(Suffixes.Count, Regex.Count(Alerts, @"^\| `…-[\w-]+` \|", RegexOptions.Multiline));
    }

    [Fact]
    public void The_timing_table_adds_up_its_terms_for_a_failure_at_the_due_tick()
    {
        var failed = Rule("refresh-failed").Frequency;
        AssertTiming("refresh fails at once", DueTick + IngestionMin, DueTick + Export + IngestionMax + failed);
        AssertTiming("refresh fails after three Welkin timeouts", DueTick + ThreeTimeoutsMin + IngestionMin, DueTick + ThreeTimeoutsMax + Export + IngestionMax + failed);

        // Silent from the due tick: the last record is the tick before, stamped up to one export later; the rule fires at
        // the first evaluation that sees a whole window without it.
        var (frequency, window, _) = Rule("heartbeat");
        var lastTick = DueTick - TimeSpan.FromMinutes(5);
        AssertTiming("app silent from *T*+50 (last tick *T*+45)", lastTick + window, lastTick + Export + window + frequency);

        // Expired at T+60: a whole 5-minute bin at or below 0 first, then one export and the next evaluation.
        var expired = Rule("token-expired").Frequency;
        var expiry = TimeSpan.FromMinutes(60);
        AssertTiming("token expired (no refresh ever succeeded)", expiry + expired, expiry + expired + Export + expired);
    }

    [Fact]
    public void The_heartbeat_finds_a_silent_app_15_to_21_minutes_after_its_last_tick()
    {
        var (frequency, window, _) = Rule("heartbeat");
        Assert.Contains($"{window.TotalMinutes} to {(window + Export + frequency).TotalMinutes} minutes after the last tick", Alerts, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cost_counts_one_time_series_per_client_for_split_rules_at_their_frequencys_price()
    {
        var costs = Docs.Section("docs/deploy.md", "### Alert rules per time series");
        var prices = PriceRow().Matches(costs).ToDictionary(
            m => TimeSpan.FromMinutes(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)),
            m => decimal.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.NotEmpty(prices);

        foreach (var clients in new[] { 1, 3, 10 })
        {
            var rules = Suffixes.Select(Rule).ToList();
            var series = rules.Sum(r => r.PerClient ? clients : 1);
            var cost = rules.Sum(r => prices[r.Frequency] * (r.PerClient ? clients : 1));
            Assert.Equal([clients.ToString(CultureInfo.InvariantCulture), series.ToString(CultureInfo.InvariantCulture), $"${cost:0.00}"],
                Row(costs, clients.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.Contains($"${Suffixes.Select(Rule).Sum(r => prices[r.Frequency]):0.00} |", Docs.Section("docs/deploy.md", "## Monthly cost estimate"), StringComparison.Ordinal);
    }

    private static void AssertTiming(string failure, TimeSpan earliest, TimeSpan latest)
    {
        var row = Row(Alerts, failure);
        Assert.Equal((T(earliest), T(latest)), (row[2], row[3]));
        var left = TimeSpan.FromMinutes(60) - latest;
        Assert.Equal(left > TimeSpan.Zero ? $"{(int)left.TotalMinutes}:{left.Seconds:00}" : "none", row[4]);
    }

    [GeneratedRegex(@"^\| (\d+) minutes? \| \$(\d+\.\d\d) \|$", RegexOptions.Multiline)]
    private static partial Regex PriceRow();
}
