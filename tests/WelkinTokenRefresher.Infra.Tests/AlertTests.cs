using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// The three alert rules (issue 20): each one's query, frequency, window, identity and split dimension, as deployed
/// (<see cref="Deployments.ThreeClientsDeployedAt"/>). What their figures mean is README.md's "Alerts".
/// </summary>
[Collection(CompiledBicep.Name)]
public sealed partial class AlertTests(BicepFixture bicep)
{
    private const string LogAnalyticsReader = "73c42c96-874c-492b-b04d-ab87d138a893";
    private const string Group = BicepSnapshot.ResourceGroupId;
    private const string Workspace = $"{Group}/providers/Microsoft.OperationalInsights/workspaces/log-4yfan3patq3vg";
    private const string RulePrefix = $"{Group}/providers/Microsoft.Insights/scheduledQueryRules/alert-4yfan3patq3vg-";

    private static BicepSnapshot Snapshot => Deployments.ThreeClientsDeployedAt;

    private static JsonElement Rule(string suffix) => Snapshot.Resource("Microsoft.Insights/scheduledQueryRules", $"/alert-4yfan3patq3vg-{suffix}");

    private static JsonElement Criterion(string suffix) =>
        Assert.Single(Rule(suffix).GetProperty("properties").GetProperty("criteria").GetProperty("allOf").EnumerateArray());

    private static List<string> QueryLines(string suffix) =>
        [.. Criterion(suffix).GetProperty("query").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static (string Frequency, string Window) Schedule(string suffix) =>
        (Rule(suffix).GetProperty("properties").GetProperty("evaluationFrequency").GetString()!, Rule(suffix).GetProperty("properties").GetProperty("windowSize").GetString()!);

    private static string[] SplitDimension(string suffix) =>
        Criterion(suffix).TryGetProperty("dimensions", out var dimensions)
            ? [.. dimensions.EnumerateArray().Select(d => $"{d.GetProperty("name").GetString()} {d.GetProperty("operator").GetString()} {string.Join(",", d.GetProperty("values").EnumerateArray().Select(v => v.GetString()))}")]
            : [];

    [Fact]
    public void There_are_exactly_three_rules_all_enabled_over_the_workspace_and_routed_to_the_action_group()
    {
        var rules = Snapshot.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        Assert.Equal(["heartbeat", "refresh-failed", "token-expired"], rules.Select(r => r.GetProperty("name").GetString()!.Split('-', 3)[2]).Order(StringComparer.Ordinal));
        Assert.All(rules, r =>
        {
            var properties = r.GetProperty("properties");
            Assert.True(properties.GetProperty("enabled").GetBoolean());
            Assert.True(properties.GetProperty("autoMitigate").GetBoolean());
            Assert.Equal(Workspace, Assert.Single(properties.GetProperty("scopes").EnumerateArray()).GetString());
            Assert.Equal($"{Group}/providers/Microsoft.Insights/actionGroups/ag-4yfan3patq3vg", Assert.Single(properties.GetProperty("actions").GetProperty("actionGroups").EnumerateArray()).GetString());
        });
    }

    [Theory]
    [InlineData("refresh-failed")]
    [InlineData("heartbeat")]
    [InlineData("token-expired")]
    public void Each_rule_runs_as_its_own_identity_which_only_reads_the_workspace(string suffix)
    {
        Assert.Equal("SystemAssigned", Rule(suffix).GetProperty("identity").GetProperty("type").GetString());
        var principal = $"[reference('{RulePrefix}{suffix}', '2023-12-01', 'full').identity.principalId]";
        var roles = Snapshot.RoleAssignments.Where(a => a.Principal == principal).ToList();
        Assert.Equal([new SnapshotRoleAssignment(Workspace, LogAnalyticsReader, principal)], roles);
    }

    [Fact]
    public void Refresh_failed_fires_per_client_on_the_first_failure_evaluated_every_minute_over_5_minutes()
    {
        Assert.Equal(("PT1M", "PT5M"), Schedule("refresh-failed"));
        Assert.Equal(["Client Include *"], SplitDimension("refresh-failed"));
        Assert.Equal(
            [
                "AppMetrics",
                "| where Name == \"welkin.token.refreshes\"",
                "| where tostring(Properties.outcome) in (\"welkin-failed\", \"vault-failed\", \"configuration-invalid\", \"internal-error\")",
                "| project TimeGenerated, Client = tostring(Properties.client), Failures = Sum",
            ],
            QueryLines("refresh-failed"));
        var criterion = Criterion("refresh-failed");
        Assert.Equal("Total", criterion.GetProperty("timeAggregation").GetString());
        Assert.Equal("Failures", criterion.GetProperty("metricMeasureColumn").GetString());
        Assert.Equal(("GreaterThan", 0), (criterion.GetProperty("operator").GetString(), criterion.GetProperty("threshold").GetInt32()));
        Assert.Equal(1, Rule("refresh-failed").GetProperty("properties").GetProperty("severity").GetInt32());
        // A log search rule evaluated every minute cannot use search, union or take (Azure Monitor's rule).
        Assert.DoesNotMatch(@"\b(search|union|take)\b", string.Join('\n', QueryLines("refresh-failed")));
    }

    [Fact]
    public void Heartbeat_fires_on_15_minutes_without_a_timer_tick_but_not_before_the_deployment_is_25_minutes_old()
    {
        Assert.Equal(("PT5M", "PT15M"), Schedule("heartbeat"));
        Assert.Empty(SplitDimension("heartbeat"));
        Assert.Equal(
            [
                $"let deployedAt = datetime({Deployments.DeploymentTime});",
                "union isfuzzy=true",
                "(datatable(TimeGenerated: datetime, Name: string, Sum: real, Properties: dynamic)[]),",
                "(AppMetrics)",
                "| where Name == \"welkin.token.refreshes\" and tostring(Properties.trigger) == \"Schedule\"",
                "| summarize Ticks = countif(Sum > 0)",
                "| where Ticks == 0 and now() > deployedAt + 25m",
            ],
            QueryLines("heartbeat"));
        var criterion = Criterion("heartbeat");
        Assert.Equal(("Count", "GreaterThan", 0), (criterion.GetProperty("timeAggregation").GetString(), criterion.GetProperty("operator").GetString(), criterion.GetProperty("threshold").GetInt32()));

        // "Deployed, never refreshed" fires at the first evaluation after the grace: within 30 minutes of the deployment.
        var grace = int.Parse(GraceMinutes().Match(string.Join('\n', QueryLines("heartbeat"))).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(grace + XmlMinutes(Schedule("heartbeat").Frequency) <= 30);
    }

    [Fact]
    public void The_heartbeats_deployment_time_is_the_time_of_each_deployment()
    {
        var parameter = bicep.Template.Parameter("deploymentTime");
        Assert.Equal("[utcNow()]", parameter.GetProperty("defaultValue").GetString());
        Assert.Equal("[parameters('deploymentTime')]", bicep.Template.ModuleNamed("alerts").PassedValue("deploymentTime"));
    }

    [Fact]
    public void Token_expired_takes_the_freshest_view_across_instances_per_client()
    {
        // An idle instance that last saw the old token must not raise a Sev-0 while another has read a fresh one.
        Assert.Equal(("PT5M", "PT10M"), Schedule("token-expired"));
        Assert.Equal(["Client Include *"], SplitDimension("token-expired"));
        Assert.Equal(
            [
                "AppMetrics",
                "| where Name == \"welkin.token.remaining_lifetime\"",
                "| summarize FreshestRemainingSeconds = max(Max) by Client = tostring(Properties.client), bin_at(TimeGenerated, 5m, ago(10m))",
                "| where FreshestRemainingSeconds <= 0",
            ],
            QueryLines("token-expired"));
        Assert.Equal(0, Rule("token-expired").GetProperty("properties").GetProperty("severity").GetInt32());
    }

    [Fact]
    public void Email_receiver_exists_only_when_an_address_is_given()
    {
        Assert.Equal(0, Snapshot.Resource("Microsoft.Insights/actionGroups", "/ag-4yfan3patq3vg").GetProperty("properties").GetProperty("emailReceivers").GetArrayLength());
        var withEmail = BicepSnapshot.Of(BicepSnapshot.Parameters("param alertEmail = 'ops@example.org'"));
        var receiver = Assert.Single(withEmail.Resource("Microsoft.Insights/actionGroups", "/ag-4yfan3patq3vg").GetProperty("properties").GetProperty("emailReceivers").EnumerateArray());
        Assert.Equal("ops@example.org", receiver.GetProperty("emailAddress").GetString());
    }

    [Fact]
    public void No_rule_counts_joined_or_throttled_as_a_failure_or_a_tick_of_its_own()
    {
        // 'joined' is a caller that shared a refresh, 'throttled' a refusal: a storm of either must not look like failures.
        Assert.All(TelemetryQueries.AlertRules(Snapshot).Values, q =>
        {
            Assert.DoesNotContain("joined", q, StringComparison.Ordinal);
            Assert.DoesNotContain("throttled", q, StringComparison.Ordinal);
        });
    }

    private static int XmlMinutes(string duration) => (int)System.Xml.XmlConvert.ToTimeSpan(duration).TotalMinutes;

    [GeneratedRegex(@"deployedAt \+ (\d+)m")]
    private static partial Regex GraceMinutes();
}
