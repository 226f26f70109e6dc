namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class FunctionAppTests(BicepFixture bicep)
{
    private ArmResource Site => bicep.Template.OnlyOfType("Microsoft.Web/sites");

    /// <summary>The evaluated site (its properties are a union with the optional network setting in the template).</summary>
    private static System.Text.Json.JsonElement SiteProperties =>
        Deployments.SingleClient.Resource("Microsoft.Web/sites", "/func-4yfan3patq3vg").GetProperty("properties");

    private const string Group = BicepSnapshot.ResourceGroupId;
    private const string Identity = $"{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-4yfan3patq3vg";
    private const string Storage = $"{Group}/providers/Microsoft.Storage/storageAccounts/st4yfan3patq3vg";
    private const string CredentialsVault = $"{Group}/providers/Microsoft.KeyVault/vaults/kvc-4yfan3patq3vg";

    private static IReadOnlyDictionary<string, string> Settings => Deployments.SingleClient.AppSettings;

    [Fact]
    public void App_settings_are_the_static_settings_followed_by_the_named_clients()
    {
        Assert.Contains("appSettings', concat(variables('staticAppSettings'), variables('clientAppSettings'))", Site.Properties.GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_is_flex_consumption_on_linux()
    {
        var plan = bicep.Template.OnlyOfType("Microsoft.Web/serverfarms");
        var sku = plan.Element.GetProperty("sku");
        Assert.Equal("FC1", sku.GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", sku.GetProperty("tier").GetString());
        Assert.True(plan.Properties.GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public void App_runs_dotnet_isolated_10_on_linux()
    {
        Assert.Equal("functionapp,linux", Site.Element.GetProperty("kind").GetString());
        var runtime = SiteProperties.GetProperty("functionAppConfig").GetProperty("runtime");
        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
    }

    [Fact]
    public void App_is_https_only_with_tls_1_2_and_no_ftp_or_basic_auth_publishing()
    {
        Assert.True(SiteProperties.GetProperty("httpsOnly").GetBoolean());
        var siteConfig = SiteProperties.GetProperty("siteConfig");
        Assert.Equal("1.2", siteConfig.GetProperty("minTlsVersion").GetString());

        var policies = bicep.Template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], policies.Select(p => p.Name.Split(", '")[^1].TrimEnd(']', ')', '\'')).Order());
        Assert.All(policies, p => Assert.False(p.Properties.GetProperty("allow").GetBoolean()));
    }

    [Fact]
    public void App_uses_only_the_user_assigned_identity_also_for_key_vault_references_and_deployment_storage()
    {
        var identity = Site.Element.GetProperty("identity");
        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        var functionApp = bicep.Template.ModuleNamed("functionapp");
        Assert.Equal(("identity", "identityId"), ArmTemplate.ModuleOutputIn(functionApp.PassedValue("identityId")));

        var identityId = $"{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-4yfan3patq3vg";
        Assert.Equal(identityId, SiteProperties.GetProperty("keyVaultReferenceIdentity").GetString());

        var storage = SiteProperties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        var authentication = storage.GetProperty("authentication");
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.Equal(identityId, authentication.GetProperty("userAssignedIdentityResourceId").GetString());
        Assert.Equal(("storage", "deploymentContainerUrl"), ArmTemplate.ModuleOutputIn(functionApp.PassedValue("deploymentContainerUrl")));
    }

    [Fact]
    public void Instance_count_is_modest()
    {
        var scale = SiteProperties.GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");
        Assert.Equal(40, scale.GetProperty("maximumInstanceCount").GetInt32());
        Assert.Equal(["maximumInstanceCount"], ArmTemplate.ParametersIn(bicep.Template.ModuleNamed("functionapp").PassedValue("maximumInstanceCount")));
        Assert.InRange(bicep.Template.Parameter("maximumInstanceCount").GetProperty("defaultValue").GetInt32(), 1, 100);
    }

    [Fact]
    public void Host_storage_settings_are_identity_based()
    {
        Assert.Equal("managedidentity", Settings["AzureWebJobsStorage__credential"]);
        Assert.Equal($"[reference('{Identity}', '2023-01-31').clientId]", Settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal($"[reference('{Identity}', '2023-01-31').clientId]", Settings["AZURE_CLIENT_ID"]);
        Assert.Equal($"[reference('{Storage}', '2023-05-01').primaryEndpoints.blob]", Settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Equal($"[reference('{Storage}', '2023-05-01').primaryEndpoints.table]", Settings["AzureWebJobsStorage__tableServiceUri"]);

        // A plain AzureWebJobsStorage setting would be a connection string (with a key).
        Assert.DoesNotContain("AzureWebJobsStorage", Settings.Keys);
    }

    [Fact]
    public void Application_insights_is_reached_with_entra_auth()
    {
        Assert.Equal($"[format('ClientId={{0}};Authorization=AAD', reference('{Identity}', '2023-01-31').clientId)]", Settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal($"[reference('{Group}/providers/Microsoft.Insights/components/appi-4yfan3patq3vg', '2020-02-02').ConnectionString]", Settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
    }

    [Theory]
    [InlineData("Welkin__ApiClient", "welkin-api-client", "welkinApiClient")]
    [InlineData("Welkin__Secret", "welkin-api-secret", "welkinSecret")]
    public void Welkin_credentials_are_versionless_key_vault_references_into_the_credentials_vault(string setting, string secret, string secureParameter)
    {
        // {vaultUri}secrets/{name} is the secret's versionless URI, so a rotated secret is picked up after a restart.
        Assert.Equal($"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', reference('{CredentialsVault}', '2023-07-01').vaultUri, '{secret}')]", Settings[setting]);

        // ...and that secret, in the credentials vault, holds the matching secure parameter when it is given.
        var written = Deployments.SingleClient.Resource("Microsoft.KeyVault/vaults/secrets", $"/kvc-4yfan3patq3vg/secrets/{secret}");
        Assert.Equal($"[parameters('{secureParameter}')]", written.GetProperty("properties").GetProperty("value").GetString());
    }

    [Fact]
    public void The_default_clients_token_vault_and_secret_reach_the_app()
    {
        Assert.Equal($"[reference('{Group}/providers/Microsoft.KeyVault/vaults/kvt-4yfan3patq3vg', '2023-07-01').vaultUri]", Settings["KeyVault__VaultUri"]);
        Assert.Equal("welkin-api-token", Settings["KeyVault__SecretName"]);
    }

    [Fact]
    public void App_waits_for_its_role_assignments()
    {
        // ...and, with private networking, for the private endpoints of its storage and vaults.
        var dependsOn = bicep.Template.Deployment("functionapp").Element.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains(dependsOn, d => d.EndsWith("'rbac')]", StringComparison.Ordinal));
        Assert.Contains("privateEndpoints", dependsOn);
    }

    [Fact]
    public void App_logs_go_to_log_analytics()
    {
        var setting = Assert.Single(bicep.Template.OfType("Microsoft.Insights/diagnosticSettings"), d => d.Module == "functionapp");
        Assert.Contains("Microsoft.Web/sites", setting.Scope, StringComparison.Ordinal);
        var log = Assert.Single(setting.Properties.GetProperty("logs").EnumerateArray());
        Assert.Equal("FunctionAppLogs", log.GetProperty("category").GetString());
        Assert.True(log.GetProperty("enabled").GetBoolean());
        Assert.Equal(("monitoring", "workspaceId"), ArmTemplate.ModuleOutputIn(bicep.Template.ModuleNamed("functionapp").PassedValue("workspaceId")));
    }
}
