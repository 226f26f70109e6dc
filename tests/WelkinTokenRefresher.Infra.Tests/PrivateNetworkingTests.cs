using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// <c>vnetEnabled</c> (issue 19, item 2): the layout of Microsoft's Flex Consumption quickstart, with every vault and the
/// storage account reachable only through private endpoints. With it off, nothing changes (SingleClientSnapshotTests).
/// </summary>
public sealed class PrivateNetworkingTests
{
    private const string Group = BicepSnapshot.ResourceGroupId;
    private const string VnetId = $"{Group}/providers/Microsoft.Network/virtualNetworks/vnet-4yfan3patq3vg";
    private const string AppSubnet = $"{VnetId}/subnets/app";
    private const string EndpointSubnet = $"{VnetId}/subnets/private-endpoints";

    /// <summary>
    /// The zone of each group id, as the template names it for any cloud. <c>bicep snapshot</c> leaves <c>environment()</c>
    /// unevaluated; in the public cloud (<c>az cloud show -n AzureCloud --query suffixes</c>) keyvaultDns is
    /// <c>.vault.azure.net</c> and storage <c>core.windows.net</c>, so these are privatelink.vaultcore.azure.net,
    /// privatelink.blob.core.windows.net and privatelink.table.core.windows.net.
    /// </summary>
    private static readonly Dictionary<string, string> Zones = new()
    {
        ["vault"] = "format('privatelink{0}', replace(environment().suffixes.keyvaultDns, '.vault.', '.vaultcore.'))",
        ["blob"] = "format('privatelink.blob.{0}', environment().suffixes.storage)",
        ["table"] = "format('privatelink.table.{0}', environment().suffixes.storage)",
    };

    private static string ZoneId(string group) => $"[resourceId('{BicepSnapshot.SubscriptionId}', 'rg-welkin-test', 'Microsoft.Network/privateDnsZones', {Zones[group]})]";

    public static TheoryData<string> PrivateDeployments => new() { "single", "three" };

    private static BicepSnapshot Snapshot(string name) => name == "single" ? Deployments.SingleClientPrivate : Deployments.ThreeClientsPrivate;

    private static JsonElement Subnet(BicepSnapshot snapshot, string name) =>
        Assert.Single(snapshot.Resource("Microsoft.Network/virtualNetworks", "/vnet-4yfan3patq3vg").GetProperty("properties").GetProperty("subnets").EnumerateArray(),
            s => s.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(PrivateDeployments))]
    public void No_vault_or_storage_account_is_reachable_from_the_public_internet(string deployment)
    {
        var snapshot = Snapshot(deployment);
        var reachable = snapshot.OfType("Microsoft.KeyVault/vaults").Concat(snapshot.OfType("Microsoft.Storage/storageAccounts")).ToList();
        Assert.True(reachable.Count >= 3);
        Assert.All(reachable, r =>
        {
            var properties = r.GetProperty("properties");
            Assert.Equal("Disabled", properties.GetProperty("publicNetworkAccess").GetString());
            Assert.Equal("Deny", properties.GetProperty("networkAcls").GetProperty("defaultAction").GetString());
            Assert.Equal("None", properties.GetProperty("networkAcls").GetProperty("bypass").GetString());
        });
    }

    [Theory]
    [MemberData(nameof(PrivateDeployments))]
    public void Every_vault_and_the_storage_accounts_blob_and_table_have_a_private_endpoint_registered_in_its_zone(string deployment)
    {
        var snapshot = Snapshot(deployment);
        var expected = snapshot.OfType("Microsoft.KeyVault/vaults").Select(v => (Target: v.GetProperty("id").GetString()!, Group: "vault"))
            .Concat(snapshot.OfType("Microsoft.Storage/storageAccounts").SelectMany(s => new[] { (s.GetProperty("id").GetString()!, "blob"), (s.GetProperty("id").GetString()!, "table") }))
            .Order().ToList();

        var endpoints = snapshot.OfType("Microsoft.Network/privateEndpoints").ToList();
        var actual = endpoints.Select(e =>
        {
            var properties = e.GetProperty("properties");
            Assert.Equal(EndpointSubnet, properties.GetProperty("subnet").GetProperty("id").GetString());
            var connection = Assert.Single(properties.GetProperty("privateLinkServiceConnections").EnumerateArray()).GetProperty("properties");
            var group = Assert.Single(connection.GetProperty("groupIds").EnumerateArray()).GetString()!;

            var zoneGroup = snapshot.Resource("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", $"{e.GetProperty("name").GetString()}/privateDnsZoneGroups/default");
            var zone = Assert.Single(zoneGroup.GetProperty("properties").GetProperty("privateDnsZoneConfigs").EnumerateArray());
            Assert.Equal(ZoneId(group), zone.GetProperty("properties").GetProperty("privateDnsZoneId").GetString());
            return (Target: connection.GetProperty("privateLinkServiceId").GetString()!, Group: group);
        }).Order().ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_three_private_dns_zones_exist_and_each_is_linked_to_the_network()
    {
        var snapshot = Deployments.SingleClientPrivate;
        Assert.Equal(
            Zones.Values.Select(z => $"[{z}]").Order(StringComparer.Ordinal),
            snapshot.OfType("Microsoft.Network/privateDnsZones").Select(z => z.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(snapshot.OfType("Microsoft.Network/privateDnsZones"), z => Assert.Equal("global", z.GetProperty("location").GetString()));
        var links = snapshot.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks").ToList();
        Assert.Equal(
            Zones.Values.Select(z => $"[format('{{0}}/{{1}}', {z}, 'vnet-4yfan3patq3vg')]").Order(StringComparer.Ordinal),
            links.Select(l => l.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(links, link =>
        {
            Assert.Equal(VnetId, link.GetProperty("properties").GetProperty("virtualNetwork").GetProperty("id").GetString());
            Assert.False(link.GetProperty("properties").GetProperty("registrationEnabled").GetBoolean());
        });
    }

    [Fact]
    public void The_apps_outbound_traffic_goes_through_a_subnet_delegated_as_flex_consumption_requires()
    {
        var snapshot = Deployments.SingleClientPrivate;
        Assert.Equal(AppSubnet, snapshot.Resource("Microsoft.Web/sites", "/func-4yfan3patq3vg").GetProperty("properties").GetProperty("virtualNetworkSubnetId").GetString());
        var delegation = Assert.Single(Subnet(snapshot, "app").GetProperty("properties").GetProperty("delegations").EnumerateArray());
        Assert.Equal("Microsoft.App/environments", delegation.GetProperty("properties").GetProperty("serviceName").GetString());
        Assert.Equal("10.0.1.0/24", Subnet(snapshot, "app").GetProperty("properties").GetProperty("addressPrefix").GetString());
        Assert.Equal("10.0.2.0/24", Subnet(snapshot, "private-endpoints").GetProperty("properties").GetProperty("addressPrefix").GetString());
        Assert.Equal("Disabled", Subnet(snapshot, "private-endpoints").GetProperty("properties").GetProperty("privateEndpointNetworkPolicies").GetString());
    }

    [Fact]
    public void Welkin_is_reached_over_the_internet_through_the_nat_gateway_and_nothing_else()
    {
        var snapshot = Deployments.SingleClientPrivate;
        var app = Subnet(snapshot, "app").GetProperty("properties");
        Assert.Equal($"{Group}/providers/Microsoft.Network/natGateways/ng-4yfan3patq3vg", app.GetProperty("natGateway").GetProperty("id").GetString());
        Assert.False(app.GetProperty("defaultOutboundAccess").GetBoolean());
        Assert.False(Subnet(snapshot, "private-endpoints").GetProperty("properties").GetProperty("defaultOutboundAccess").GetBoolean());

        var nat = snapshot.Resource("Microsoft.Network/natGateways", "/ng-4yfan3patq3vg").GetProperty("properties");
        Assert.Equal($"{Group}/providers/Microsoft.Network/publicIPAddresses/pip-ng-4yfan3patq3vg", Assert.Single(nat.GetProperty("publicIpAddresses").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("Static", snapshot.Resource("Microsoft.Network/publicIPAddresses", "/pip-ng-4yfan3patq3vg").GetProperty("properties").GetProperty("publicIPAllocationMethod").GetString());

        // The app's settings, Welkin's URL among them, are those of the public deployment.
        Assert.Equal(Deployments.SingleClient.AppSettings.OrderBy(s => s.Key), snapshot.AppSettings.OrderBy(s => s.Key));
    }

    [Fact]
    public void Deployment_storage_keeps_its_container_and_identity()
    {
        var functionAppConfig = Deployments.SingleClientPrivate.Resource("Microsoft.Web/sites", "/func-4yfan3patq3vg").GetProperty("properties").GetProperty("functionAppConfig");
        var publicConfig = Deployments.SingleClient.Resource("Microsoft.Web/sites", "/func-4yfan3patq3vg").GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal(publicConfig.GetRawText(), functionAppConfig.GetRawText());
        Assert.Equal("UserAssignedIdentity", functionAppConfig.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
    }

    [Fact]
    public void The_address_space_is_a_parameter()
    {
        var snapshot = BicepSnapshot.Of(Deployments.Text("single-client.bicepparam") + Deployments.PrivateNetworking + "\nparam vnetAddressPrefix = '172.20.0.0/20'");
        Assert.Equal("172.20.1.0/24", Subnet(snapshot, "app").GetProperty("properties").GetProperty("addressPrefix").GetString());
        Assert.Equal("172.20.2.0/24", Subnet(snapshot, "private-endpoints").GetProperty("properties").GetProperty("addressPrefix").GetString());
    }

    [Fact]
    public void Outputs_name_the_network_only_when_there_is_one()
    {
        Assert.Equal("vnet-4yfan3patq3vg", Deployments.SingleClientPrivate.Output("VNET_NAME"));
        Assert.Equal(string.Empty, Deployments.SingleClient.Output("VNET_NAME"));
        Assert.DoesNotContain(Deployments.ThreeClients.Resources, r => r.GetProperty("type").GetString()!.StartsWith("Microsoft.Network/", StringComparison.Ordinal));
    }
}
