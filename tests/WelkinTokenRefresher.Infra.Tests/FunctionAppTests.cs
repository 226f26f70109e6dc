namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class FunctionAppTests(BicepFixture bicep)
{
    private ArmResource Site => bicep.Template.OnlyOfType("Microsoft.Web/sites");

    /// <summary>
    /// The settings every deployment has (the functionapp module's staticAppSettings); the named clients' settings are
    /// appended from a loop, which MultiClientDeploymentTests evaluates with a snapshot.
    /// </summary>
    internal static Dictionary<string, string> AppSettings(ArmTemplate template) =>
        template.ModuleNamed("functionapp").Root.GetProperty("variables").GetProperty("staticAppSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").ToString());

    [Fact]
    public void App_settings_are_the_static_settings_followed_by_the_named_clients()
    {
        Assert.Equal("[concat(variables('staticAppSettings'), variables('clientAppSettings'))]",
            Site.Properties.GetProperty("siteConfig").GetProperty("appSettings").GetString());
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
        var runtime = Site.Properties.GetProperty("functionAppConfig").GetProperty("runtime");
        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
    }

    [Fact]
    public void App_is_https_only_with_tls_1_2_and_no_ftp_or_basic_auth_publishing()
    {
        Assert.True(Site.Properties.GetProperty("httpsOnly").GetBoolean());
        var siteConfig = Site.Properties.GetProperty("siteConfig");
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

        Assert.Equal("[parameters('identityId')]", Site.Properties.GetProperty("keyVaultReferenceIdentity").GetString());

        var storage = Site.Properties.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        var authentication = storage.GetProperty("authentication");
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", authentication.GetProperty("userAssignedIdentityResourceId").GetString());
        Assert.Equal(("storage", "deploymentContainerUrl"), ArmTemplate.ModuleOutputIn(functionApp.PassedValue("deploymentContainerUrl")));
    }

    [Fact]
    public void Instance_count_is_modest()
    {
        var scale = Site.Properties.GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");
        Assert.Equal("[parameters('maximumInstanceCount')]", scale.GetProperty("maximumInstanceCount").GetString());
        Assert.Equal(["maximumInstanceCount"], ArmTemplate.ParametersIn(bicep.Template.ModuleNamed("functionapp").PassedValue("maximumInstanceCount")));
        Assert.InRange(bicep.Template.Parameter("maximumInstanceCount").GetProperty("defaultValue").GetInt32(), 1, 100);
    }

    [Fact]
    public void Host_storage_settings_are_identity_based()
    {
        var settings = AppSettings(bicep.Template);
        var functionApp = bicep.Template.ModuleNamed("functionapp");

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AZURE_CLIENT_ID"]);
        Assert.Equal(("identity", "clientId"), ArmTemplate.ModuleOutputIn(functionApp.PassedValue("identityClientId")));

        foreach (var (setting, output) in new[]
        {
            ("AzureWebJobsStorage__blobServiceUri", "blobEndpoint"),
            ("AzureWebJobsStorage__tableServiceUri", "tableEndpoint"),
        })
        {
            var parameter = Assert.Single(ArmTemplate.ParametersIn(settings[setting]));
            Assert.Equal(("storage", output), ArmTemplate.ModuleOutputIn(functionApp.PassedValue(parameter)));
        }

        // A plain AzureWebJobsStorage setting would be a connection string (with a key).
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
    }

    [Fact]
    public void Application_insights_is_reached_with_entra_auth()
    {
        var settings = AppSettings(bicep.Template);
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        var parameter = Assert.Single(ArmTemplate.ParametersIn(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]));
        Assert.Equal(("monitoring", "applicationInsightsConnectionString"),
            ArmTemplate.ModuleOutputIn(bicep.Template.ModuleNamed("functionapp").PassedValue(parameter)));
    }

    [Theory]
    [InlineData("Welkin__ApiClient", "apiClient", "welkinApiClient")]
    [InlineData("Welkin__Secret", "secret", "welkinSecret")]
    public void Welkin_credentials_are_versionless_key_vault_references_into_the_credentials_vault(
        string setting, string member, string secureParameter)
    {
        Assert.Equal($"[format('@Microsoft.KeyVault(SecretUri={{0}})', parameters('welkinCredentialUris').{member})]", AppSettings(bicep.Template)[setting]);
        Assert.Equal(("vaults", "welkinCredentialUris"), ArmTemplate.ModuleOutputIn(bicep.Template.ModuleNamed("functionapp").PassedValue("welkinCredentialUris")));

        // The URI is the secretUri (no version, so a rotated secret is picked up) of a secret in the credentials vault...
        var vaults = bicep.Template.ModuleNamed("vaults");
        var uri = vaults.Outputs.GetProperty("welkinCredentialUris").GetProperty("value").GetProperty(member).GetString()!;
        Assert.StartsWith("[reference(resourceId('Microsoft.KeyVault/vaults/secrets', parameters('credentialsVaultName'), parameters('", uri, StringComparison.Ordinal);
        Assert.EndsWith(".secretUri]", uri, StringComparison.Ordinal);

        // ...and that secret holds the matching secure parameter.
        var secretNameParameter = ArmTemplate.ParametersIn(uri)[^1];
        var secret = Assert.Single(vaults.OfType("Microsoft.KeyVault/vaults/secrets"),
            s => !s.Element.TryGetProperty("copy", out _) && ArmTemplate.ParametersIn(s.Name).Contains(secretNameParameter));
        Assert.Equal($"[parameters('{secureParameter}')]", secret.Properties.GetProperty("value").GetString());
        Assert.Equal($"[parameters('{secureParameter}')]", vaults.PassedValue(secureParameter));
    }

    [Fact]
    public void Token_vault_uri_setting_points_at_the_token_vault()
    {
        var parameter = Assert.Single(ArmTemplate.ParametersIn(AppSettings(bicep.Template)["KeyVault__VaultUri"]));
        Assert.Equal(("vaults", "tokenVaultUri"), ArmTemplate.ModuleOutputIn(bicep.Template.ModuleNamed("functionapp").PassedValue(parameter)));
        Assert.Equal("[reference(resourceId('Microsoft.KeyVault/vaults', parameters('tokenVaultName')), '2023-07-01').vaultUri]",
            bicep.Template.ModuleNamed("vaults").Outputs.GetProperty("tokenVaultUri").GetProperty("value").GetString());
    }

    [Fact]
    public void App_waits_for_its_role_assignments()
    {
        var dependsOn = bicep.Template.Deployment("functionapp").Element.GetProperty("dependsOn").ToString();
        Assert.Contains("'rbac')", dependsOn, StringComparison.Ordinal);
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
