namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class AlertTests(BicepFixture bicep)
{
    private ArmResource Rule(string suffix) =>
        Assert.Single(bicep.Template.OfType("Microsoft.Insights/scheduledQueryRules"), r => r.Name.Contains($"-{suffix}', ", StringComparison.Ordinal));

    private static System.Text.Json.JsonElement Criterion(ArmResource rule) =>
        Assert.Single(rule.Properties.GetProperty("criteria").GetProperty("allOf").EnumerateArray());

    [Fact]
    public void There_are_exactly_three_rules_all_routed_to_the_action_group_over_the_workspace()
    {
        var rules = bicep.Template.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        Assert.Equal(3, rules.Count);
        var actionGroup = bicep.Template.OnlyOfType("Microsoft.Insights/actionGroups");
        Assert.All(rules, r =>
        {
            Assert.True(r.Properties.GetProperty("enabled").GetBoolean());
            Assert.Equal($"[resourceId('Microsoft.Insights/actionGroups', parameters('actionGroupName'))]",
                Assert.Single(r.Properties.GetProperty("actions").GetProperty("actionGroups").EnumerateArray()).GetString());
            Assert.Equal("[parameters('workspaceId')]", Assert.Single(r.Properties.GetProperty("scopes").EnumerateArray()).GetString());
        });
        Assert.Equal("[parameters('actionGroupName')]", actionGroup.Name);
        Assert.Equal(("monitoring", "workspaceId"), ArmTemplate.ModuleOutputIn(bicep.Template.ModuleNamed("alerts").PassedValue("workspaceId")));
    }

    [Fact]
    public void Email_receiver_exists_only_when_an_address_is_given()
    {
        var receivers = bicep.Template.OnlyOfType("Microsoft.Insights/actionGroups").Properties.GetProperty("emailReceivers").GetString()!;
        Assert.StartsWith("[if(empty(parameters('alertEmail')), createArray(),", receivers, StringComparison.Ordinal);
        Assert.Equal("[parameters('alertEmail')]", bicep.Template.ModuleNamed("alerts").PassedValue("alertEmail"));
    }

    [Fact]
    public void No_successful_refresh_fires_when_no_refreshed_outcome_is_seen_for_60_minutes()
    {
        var rule = Rule("no-successful-refresh");
        Assert.Equal("[format('PT{0}M', parameters('noRefreshWindowMinutes'))]", rule.Properties.GetProperty("windowSize").GetString());
        Assert.Equal(["noRefreshAlertWindowMinutes"], ArmTemplate.ParametersIn(bicep.Template.ModuleNamed("alerts").PassedValue("noRefreshWindowMinutes")));
        Assert.Equal(60, bicep.Template.Parameter("noRefreshAlertWindowMinutes").GetProperty("defaultValue").GetInt32());

        var criterion = Criterion(rule);
        var query = criterion.GetProperty("query").GetString()!;
        Assert.Contains("\"welkin.token.refreshes\"", query, StringComparison.Ordinal);
        Assert.Contains("tostring(Properties.outcome) == \"refreshed\"", query, StringComparison.Ordinal);
        Assert.Equal("Count", criterion.GetProperty("timeAggregation").GetString());
        Assert.Equal("LessThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(1, criterion.GetProperty("threshold").GetInt32());
    }

    [Fact]
    public void Refresh_failures_fire_on_two_failures_within_15_minutes()
    {
        var rule = Rule("refresh-failures");
        Assert.Equal("PT15M", rule.Properties.GetProperty("windowSize").GetString());
        var criterion = Criterion(rule);
        var query = criterion.GetProperty("query").GetString()!;
        Assert.Contains("\"welkin.token.refreshes\"", query, StringComparison.Ordinal);
        Assert.Contains("\"welkin-failed\"", query, StringComparison.Ordinal);
        Assert.Contains("\"vault-failed\"", query, StringComparison.Ordinal);
        Assert.Equal("Total", criterion.GetProperty("timeAggregation").GetString());
        Assert.Equal("Failures", criterion.GetProperty("metricMeasureColumn").GetString());
        Assert.Equal("GreaterThanOrEqual", criterion.GetProperty("operator").GetString());
        Assert.Equal(2, criterion.GetProperty("threshold").GetInt32());
    }

    [Fact]
    public void Token_expired_fires_on_the_apps_own_remaining_lifetime_gauge()
    {
        var rule = Rule("token-expired");
        Assert.Equal(0, rule.Properties.GetProperty("severity").GetInt32());
        var criterion = Criterion(rule);
        var query = criterion.GetProperty("query").GetString()!;
        Assert.Contains("\"welkin.token.remaining_lifetime\"", query, StringComparison.Ordinal);
        Assert.Equal("Count", criterion.GetProperty("timeAggregation").GetString());
        Assert.Equal("GreaterThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(0, criterion.GetProperty("threshold").GetInt32());
    }

    [Fact]
    public void Token_expired_takes_the_freshest_view_across_instances_per_bin_aligned_to_the_window()
    {
        // An idle instance that last saw the old token must not raise a Sev-0 while another has read a fresh one:
        // the largest remaining lifetime of any instance per bin decides, and only a bin where even that is <= 0 fires.
        var rule = Rule("token-expired");
        Assert.Equal("PT10M", rule.Properties.GetProperty("windowSize").GetString());
        var lines = QueryLines(Criterion(rule));
        Assert.Equal(
            [
                "AppMetrics",
                "| where Name == \"welkin.token.remaining_lifetime\"",
                "| summarize FreshestRemainingSeconds = max(Max) by Client = tostring(Properties.client), bin_at(TimeGenerated, 5m, ago(10m))",
                "| where FreshestRemainingSeconds <= 0",
            ],
            lines);
    }

    [Fact]
    public void No_successful_refresh_still_evaluates_and_fires_before_any_telemetry_arrived()
    {
        // AppMetrics exists only after the first telemetry: a bare reference would make the query fail instead of
        // firing exactly when telemetry never works. A fuzzy union with an empty table of the same columns keeps it valid.
        var lines = QueryLines(Criterion(Rule("no-successful-refresh")));
        Assert.Equal("union isfuzzy=true", lines[0]);
        Assert.Equal("(datatable(TimeGenerated: datetime, Name: string, Sum: real, Properties: dynamic)[]),", lines[1]);
        Assert.Equal("(AppMetrics)", lines[2]);
        Assert.DoesNotContain(lines.Skip(3), l => l.Contains("AppMetrics", StringComparison.Ordinal));
    }

    [Fact]
    public void Success_counts_only_refreshed_outcomes_and_failures_only_failed_ones_never_joiners()
    {
        // 'refreshed' is recorded once per token written; callers that joined a refresh in flight record 'joined'.
        // A storm of on-demand calls must neither satisfy the staleness rule nor multiply one failure into an alert.
        Assert.Equal(["refreshed"], OutcomesIn(Criterion(Rule("no-successful-refresh"))));
        Assert.Equal(["vault-failed", "welkin-failed"], OutcomesIn(Criterion(Rule("refresh-failures"))));
        Assert.All(bicep.Template.OfType("Microsoft.Insights/scheduledQueryRules"),
            r => Assert.DoesNotContain("joined", Criterion(r).GetProperty("query").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public void Staleness_window_takes_only_window_sizes_a_log_alert_accepts()
    {
        int[] accepted = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880];
        var parameter = bicep.Template.Parameter("noRefreshAlertWindowMinutes");
        var allowed = parameter.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetInt32()).ToList();
        Assert.NotEmpty(allowed);
        Assert.Subset(accepted.ToHashSet(), allowed.ToHashSet());
        Assert.Contains(parameter.GetProperty("defaultValue").GetInt32(), allowed);
        // Shorter than two timer ticks would fire between healthy refreshes.
        Assert.All(allowed, v => Assert.True(v >= 10, $"{v} minutes is shorter than two timer ticks."));
        Assert.DoesNotContain(20, allowed);
        Assert.DoesNotContain(50, allowed);
        Assert.DoesNotContain(90, allowed);
    }

    [Fact]
    public void Readme_alerts_section_names_the_allowed_window_sizes_and_the_freshest_instance_rule()
    {
        var section = Readme.Section("### Alerts");
        var allowed = bicep.Template.Parameter("noRefreshAlertWindowMinutes").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var list = string.Join(", ", allowed);
        Assert.Contains(list, section, StringComparison.Ordinal);
        // Once in the parameter list of Deploy, once in Alerts.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(Readme.Section("## Deploy"), System.Text.RegularExpressions.Regex.Escape(list)));
        Assert.Contains("`joined`", section, StringComparison.Ordinal);
        Assert.Contains("freshest", section, StringComparison.Ordinal);
    }

    private static List<string> QueryLines(System.Text.Json.JsonElement criterion) =>
        criterion.GetProperty("query").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<string> OutcomesIn(System.Text.Json.JsonElement criterion)
    {
        var query = criterion.GetProperty("query").GetString()!;
        var clause = System.Text.RegularExpressions.Regex.Match(query, @"tostring\(Properties\.outcome\) (?:== ""([^""]+)""|in \(([^)]*)\))");
        Assert.True(clause.Success, $"No outcome filter in {query}");
        var values = clause.Groups[1].Success ? clause.Groups[1].Value : clause.Groups[2].Value;
        return values.Split(',').Select(v => v.Trim().Trim('"')).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Rules_evaluate_every_five_minutes_so_they_track_the_five_minute_tick()
    {
        Assert.All(bicep.Template.OfType("Microsoft.Insights/scheduledQueryRules"),
            r => Assert.Equal("PT5M", r.Properties.GetProperty("evaluationFrequency").GetString()));
    }

    [Theory]
    [InlineData("refresh-failures")]
    [InlineData("token-expired")]
    public void Failure_and_expiry_alerts_fire_per_client_by_name(string rule)
    {
        // The app's metrics carry a client dimension; splitting on it makes one failing client alert by its name.
        var criterion = Criterion(Rule(rule));
        var dimension = Assert.Single(criterion.GetProperty("dimensions").EnumerateArray());
        Assert.Equal("Client", dimension.GetProperty("name").GetString());
        Assert.Equal("Include", dimension.GetProperty("operator").GetString());
        Assert.Equal(["*"], dimension.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("Client = tostring(Properties.client)", criterion.GetProperty("query").GetString()!, StringComparison.Ordinal);
    }
}
