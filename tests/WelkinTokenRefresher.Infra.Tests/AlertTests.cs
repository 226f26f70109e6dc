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
        Assert.Contains("RemainingSeconds <= 0", query, StringComparison.Ordinal);
        Assert.Equal("GreaterThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(0, criterion.GetProperty("threshold").GetInt32());
    }

    [Fact]
    public void Rules_evaluate_every_five_minutes_so_they_track_the_five_minute_tick()
    {
        Assert.All(bicep.Template.OfType("Microsoft.Insights/scheduledQueryRules"),
            r => Assert.Equal("PT5M", r.Properties.GetProperty("evaluationFrequency").GetString()));
    }
}
