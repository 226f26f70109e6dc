using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// Every metric name, dimension, outcome and trigger value and log event the alert rules, the workbook and the runbook
/// (docs/operations.md) query is one the app emits (issue 20, item 5), as <see cref="EmittedTelemetry"/> finds it by
/// running and reading the app's code.
/// </summary>
public sealed partial class MetricsContractTests
{
    private static EmittedTelemetry App => EmittedTelemetry.Instance;

    public static TheoryData<string, string> Queries
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, query) in TelemetryQueries.AlertRules(Deployments.ThreeClientsDeployedAt))
            {
                data.Add($"alert {name}", query);
            }

            foreach (var (name, query) in TelemetryQueries.WorkbookQueries(Deployments.ThreeClientsDeployedAt))
            {
                data.Add($"workbook {name}", query);
            }

            foreach (var (name, query) in TelemetryQueries.Runbook())
            {
                data.Add(name, query);
            }

            return data;
        }
    }

    [Fact]
    public void The_app_emits_what_the_contract_is_read_from()
    {
        // A sanity check of the reading itself: the meter's three instruments and the outcome dimension were found.
        Assert.Equal(["welkin.token.refresh.duration", "welkin.token.refreshes", "welkin.token.remaining_lifetime"], App.TagKeysByMetric.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("refreshed", App.TagValues["outcome"]);
        Assert.Contains("welkin-failed", App.FailureOutcomes);
        Assert.DoesNotContain("throttled", App.FailureOutcomes);
        Assert.Contains(2001, App.LogTemplates.Keys);
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_metric_and_dimension_a_query_reads_is_one_the_app_emits(string name, string query)
    {
        var metrics = TelemetryQueries.MetricNames(query);
        if (!query.Contains("AppMetrics", StringComparison.Ordinal))
        {
            Assert.Empty(metrics);
            return;
        }

        Assert.NotEmpty(metrics);
        Assert.All(metrics, m => Assert.True(App.TagKeysByMetric.ContainsKey(m), $"{name} reads metric {m}, which the app does not emit."));
        var dimensions = metrics.SelectMany(m => App.TagKeysByMetric[m]).ToHashSet(StringComparer.Ordinal);
        Assert.All(TelemetryQueries.PropertyKeys(query), key => Assert.True(dimensions.Contains(key), $"{name} reads dimension {key}, which {string.Join(", ", metrics)} does not carry."));
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_outcome_and_trigger_a_query_compares_with_is_one_the_app_records(string name, string query)
    {
        foreach (var dimension in new[] { "outcome", "trigger" })
        {
            Assert.All(TelemetryQueries.ValuesComparedWith(query, dimension),
                value => Assert.True(App.TagValues[dimension].Contains(value), $"{name} compares {dimension} with \"{value}\", which the app never records."));
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_log_event_and_property_a_query_reads_is_one_the_app_logs(string name, string query)
    {
        if (!query.Contains("AppTraces", StringComparison.Ordinal))
        {
            return;
        }

        var events = TelemetryQueries.EventIds(query);
        Assert.NotEmpty(events);
        Assert.All(events, id => Assert.True(App.LogTemplates.ContainsKey(id), $"{name} reads log event {id}, which the app does not log."));
        // A property every one of the events it reads carries (or, for Category, the events that have one).
        Assert.All(TelemetryQueries.PropertyKeys(query), key =>
            Assert.True(events.Any(id => App.LogProperties(id).Contains(key)), $"{name} reads property {key}, which none of events {string.Join(", ", events)} carries."));
        Assert.All(events, id => Assert.Contains("Client", App.LogProperties(id)));
    }

    [Fact]
    public void The_failure_alert_counts_exactly_the_outcomes_of_failed_refreshes()
    {
        // Any status the app adds that is neither success nor refusal makes this fail until the rule counts it.
        var query = TelemetryQueries.AlertRules(Deployments.ThreeClientsDeployedAt)["refresh-failed"];
        Assert.Equal(App.FailureOutcomes.Order(StringComparer.Ordinal), TelemetryQueries.ValuesComparedWith(query, "outcome").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_heartbeat_counts_the_timers_trigger()
    {
        var query = TelemetryQueries.AlertRules(Deployments.ThreeClientsDeployedAt)["heartbeat"];
        Assert.Equal([nameof(WelkinTokenRefresher.Core.Refresh.RefreshTrigger.Schedule)], TelemetryQueries.ValuesComparedWith(query, "trigger"));
    }

    [Fact]
    public void The_failures_panel_names_each_events_category_as_the_event_itself_does()
    {
        // Events without a {Category} placeholder are mapped to the category their own message names.
        var query = TelemetryQueries.WorkbookQueries(Deployments.ThreeClientsDeployedAt)["failures"];
        var mapped = EventCategory().Matches(query).Select(m => (Event: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Category: m.Groups[2].Value)).ToList();
        Assert.NotEmpty(mapped);
        Assert.All(mapped, m =>
        {
            Assert.DoesNotContain("{Category}", App.LogTemplates[m.Event], StringComparison.Ordinal);
            Assert.Contains(m.Category, App.LogTemplates[m.Event], StringComparison.Ordinal);
            Assert.Contains(m.Category, App.TagValues["outcome"]);
        });
        var unmapped = TelemetryQueries.EventIds(query).Except(mapped.Select(m => m.Event));
        Assert.All(unmapped, id => Assert.Contains("{Category}", App.LogTemplates[id], StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Event == ""(\d+)"", ""([\w-]+)""")]
    private static partial Regex EventCategory();
}
