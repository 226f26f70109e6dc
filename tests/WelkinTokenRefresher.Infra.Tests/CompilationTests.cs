using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class CompilationTests(BicepFixture bicep)
{
    [Fact]
    public void Build_and_lint_report_no_errors_or_warnings()
    {
        Assert.Equal(0, bicep.BuildOutput.ExitCode);
        Assert.False(BicepFixture.HasDiagnostics(bicep.BuildOutput.StdErr), bicep.BuildOutput.StdErr);
        Assert.Equal(0, bicep.LintOutput.ExitCode);
        Assert.False(BicepFixture.HasDiagnostics(bicep.LintOutput.StdErr + bicep.LintOutput.StdOut), bicep.LintOutput.StdErr);
    }

    [Fact]
    public void Linter_is_enabled_in_bicepconfig()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("infra", "bicepconfig.json")));
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");
        Assert.True(core.GetProperty("enabled").GetBoolean());
        Assert.Equal("error", core.GetProperty("rules").GetProperty("outputs-should-not-contain-secrets").GetProperty("level").GetString());
    }

    [Fact]
    public void Main_template_is_subscription_scoped_and_creates_the_resource_group_with_the_azd_tag()
    {
        Assert.Contains("subscriptionDeploymentTemplate", bicep.Template.Root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        var group = Assert.Single(bicep.Template.OwnResources, r => r.Type == "Microsoft.Resources/resourceGroups");
        Assert.Equal("[variables('tags')]", group.Element.GetProperty("tags").GetString());
        Assert.Equal("[parameters('environmentName')]",
            bicep.Template.Root.GetProperty("variables").GetProperty("tags").GetProperty("azd-env-name").GetString());
    }

    [Fact]
    public void Each_concern_is_its_own_module()
    {
        var modules = bicep.Template.OwnResources.Where(r => r.Type == "Microsoft.Resources/deployments")
            .Select(r => r.Element.TryGetProperty("copy", out var copy) ? copy.GetProperty("name").GetString()! : r.Name).ToHashSet();
        Assert.Equal(
            new HashSet<string> { "monitoring", "network", "storage", "identity", "vaults", "privateEndpoints", "rbac", "consumers", "functionapp", "alerts", "workbook", "tokenEvents" },
            modules);
    }
}
