namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class AzdTests(BicepFixture bicep)
{
    private static string[] AzureYaml() => File.ReadAllLines(RepoPaths.Combine("azure.yaml"));

    private static string Value(string[] lines, string key) =>
        Assert.Single(lines, l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)).Split(':', 2)[1].Trim();

    [Fact]
    public void Azure_yaml_has_one_function_service_for_the_functions_project()
    {
        var lines = AzureYaml();
        Assert.Equal("function", Value(lines, "host"));
        Assert.Equal("dotnet", Value(lines, "language"));
        Assert.Equal("infra", Value(lines, "path"));
        var project = Value(lines, "project");
        Assert.Equal("./src/WelkinTokenRefresher.Functions", project);
        Assert.True(File.Exists(RepoPaths.Combine(project, "WelkinTokenRefresher.Functions.csproj")));
    }

    [Fact]
    public void Function_app_carries_the_azd_service_tag_of_the_service_in_azure_yaml()
    {
        var lines = AzureYaml();
        var servicesIndex = Array.FindIndex(lines, l => l == "services:");
        var serviceName = lines[servicesIndex + 1].Trim().TrimEnd(':');
        var tags = bicep.Template.OnlyOfType("Microsoft.Web/sites").Element.GetProperty("tags").GetString()!;
        Assert.Contains($"createObject('azd-service-name', '{serviceName}')", tags, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("TOKEN_VAULT_URI")]
    [InlineData("TOKEN_SECRET_NAME")]
    [InlineData("VNET_NAME")]
    public void Main_template_outputs_what_azd_and_consumers_need(string output)
    {
        Assert.Equal("string", bicep.Template.Outputs.GetProperty(output).GetProperty("type").GetString());
    }

    [Fact]
    public void Outputs_point_at_the_right_things()
    {
        var outputs = bicep.Template.Outputs;
        Assert.Equal(("functionapp", "functionAppName"), ArmTemplate.ModuleOutputIn(outputs.GetProperty("AZURE_FUNCTION_APP_NAME").GetProperty("value").GetString()!));
        var single = Deployments.SingleClient;
        Assert.Equal($"[reference('{BicepSnapshot.ResourceGroupId}/providers/Microsoft.KeyVault/vaults/kvt-4yfan3patq3vg', '2023-07-01').vaultUri]", single.Output("TOKEN_VAULT_URI"));
        Assert.Equal("kvt-4yfan3patq3vg", single.Output("TOKEN_VAULT_NAME"));
        Assert.Equal("welkin-api-token", single.Output("TOKEN_SECRET_NAME"));
        Assert.Equal("rg-welkin-test", single.Output("AZURE_RESOURCE_GROUP"));
    }

    [Fact]
    public void Ci_workflow_builds_tests_and_deploys_main_with_federated_credentials()
    {
        var workflow = File.ReadAllText(RepoPaths.Combine(".github", "workflows", "ci.yml"));
        Assert.Contains("bash .ci/run", workflow, StringComparison.Ordinal);
        Assert.Contains("dotnet test", File.ReadAllText(RepoPaths.Combine(".ci", "run")), StringComparison.Ordinal);
        Assert.Contains("id-token: write", workflow, StringComparison.Ordinal);
        Assert.Contains("--federated-credential-provider github", workflow, StringComparison.Ordinal);
        Assert.Contains("refs/heads/main", workflow, StringComparison.Ordinal);
        Assert.Contains("azd up", workflow, StringComparison.Ordinal);
    }
}
