namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class StorageAndMonitoringTests(BicepFixture bicep)
{
    [Fact]
    public void Storage_has_shared_keys_off_tls_1_2_https_only_and_no_public_blobs()
    {
        var properties = bicep.Template.OnlyOfType("Microsoft.Storage/storageAccounts").Properties;
        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
        Assert.True(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
    }

    [Fact]
    public void Storage_has_the_deployment_container_and_the_lock_container_both_private()
    {
        var containers = bicep.Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        Assert.Equal(2, containers.Count);
        Assert.All(containers, c => Assert.Equal("None", c.Properties.GetProperty("publicAccess").GetString()));

        var parameters = bicep.Template.Deployment("storage").Properties.GetProperty("parameters");
        Assert.Equal("app-package", parameters.GetProperty("deploymentContainerName").GetProperty("value").GetString());
        Assert.Equal("welkin-token-refresher-locks", parameters.GetProperty("locksContainerName").GetProperty("value").GetString());

        var url = bicep.Template.ModuleNamed("storage").Outputs.GetProperty("deploymentContainerUrl").GetProperty("value").GetString()!;
        Assert.Contains("primaryEndpoints.blob", url, StringComparison.Ordinal);
        Assert.Contains("parameters('deploymentContainerName')", url, StringComparison.Ordinal);
    }

    [Fact]
    public void Application_insights_is_workspace_based_with_local_auth_disabled()
    {
        var insights = bicep.Template.OnlyOfType("Microsoft.Insights/components").Properties;
        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]",
            insights.GetProperty("WorkspaceResourceId").GetString());

        var workspace = bicep.Template.OnlyOfType("Microsoft.OperationalInsights/workspaces").Properties;
        Assert.True(workspace.GetProperty("features").GetProperty("disableLocalAuth").GetBoolean());
    }

    [Fact]
    public void Event_grid_topics_on_the_token_vaults_are_optional_and_off_by_default()
    {
        var deployment = bicep.Template.Deployment("[format('token-events-{0}', if(parameters('enableTokenEvents'), variables('tokenVaults'), createArray())[copyIndex()].client)]");
        Assert.Equal("[length(if(parameters('enableTokenEvents'), variables('tokenVaults'), createArray()))]", deployment.Element.GetProperty("copy").GetProperty("count").GetString());
        Assert.False(bicep.Template.Parameter("enableTokenEvents").GetProperty("defaultValue").GetBoolean());
        Assert.Equal("Microsoft.KeyVault.vaults", bicep.Template.OnlyOfType("Microsoft.EventGrid/systemTopics").Properties.GetProperty("topicType").GetString());
    }
}
