using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// What Flex Consumption sites reject (Microsoft's Flex migration table, ARM errors such as "site configuration
/// properties (Site.SiteConfig.FtpsState, …) for Flex Consumption sites is invalid" in West Europe).
/// </summary>
[Collection(CompiledBicep.Name)]
public sealed class FlexConsumptionTests(BicepFixture bicep)
{
    private static readonly string[] RejectedSiteConfig =
    [
        "ftpsState", "use32BitWorkerProcess", "netFrameworkVersion", "functionsRuntimeScaleMonitoringEnabled",
        "linuxFxVersion", "javaVersion", "powerShellVersion", "numberOfWorkers",
    ];

    private static readonly string[] RejectedAppSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_NODE_DEFAULT_VERSION", "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD",
    ];

    private static JsonElement SiteConfig => Deployments.SingleClientPrivate.Resource("Microsoft.Web/sites", "/func-4yfan3patq3vg").GetProperty("properties").GetProperty("siteConfig");

    [Fact]
    public void Flex_site_config_holds_no_property_flex_rejects()
    {
        var properties = SiteConfig.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Empty(properties.Intersect(RejectedSiteConfig, StringComparer.OrdinalIgnoreCase));
        if (SiteConfig.TryGetProperty("alwaysOn", out var alwaysOn))
        {
            Assert.NotEqual(JsonValueKind.True, alwaysOn.ValueKind);
        }
    }

    [Fact]
    public void No_app_setting_flex_rejects_is_set()
    {
        var settings = Deployments.ThreeClients.AppSettings.Keys.Concat(Deployments.NamedClientsOnly.AppSettings.Keys);
        Assert.Empty(settings.Intersect(RejectedAppSettings, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Ftp_stays_off_through_the_publishing_policy_not_site_config()
    {
        var ftp = Assert.Single(bicep.Template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"), p => p.Name.Contains("'ftp')", StringComparison.Ordinal));
        Assert.False(ftp.Properties.GetProperty("allow").GetBoolean());
    }

    [Fact]
    public void Host_storage_has_no_queue_endpoint_and_the_app_no_queue_role()
    {
        // The app has no queue trigger; a queue endpoint without a queue role is half-configured.
        Assert.DoesNotContain(Deployments.ThreeClients.AppSettings.Keys, k => k.Contains("queue", StringComparison.OrdinalIgnoreCase));
        string[] queueRoles =
        [
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "19e7f393-937e-4f77-808e-94535e297925", // Storage Queue Data Reader
            "8a0f0c08-91a1-4084-bc3d-661d67233fed", // Storage Queue Data Message Processor
            "c6a89b2e-5d7c-4b2c-b8b4-2f8ca53f8a1f", // Storage Queue Data Message Sender
        ];
        var roles = bicep.Template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => r.Owner.RoleGuid(r.Properties.GetProperty("roleDefinitionId").GetString()!));
        Assert.Empty(roles.Intersect(queueRoles, StringComparer.OrdinalIgnoreCase));
    }
}
