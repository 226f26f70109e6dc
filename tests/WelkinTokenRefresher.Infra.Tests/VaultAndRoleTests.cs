using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>The app identity's roles outside the token vaults (those are TokenVaultTests'), and how every role assignment is named.</summary>
[Collection(CompiledBicep.Name)]
public sealed class VaultAndRoleTests(BicepFixture bicep)
{
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string Group = BicepSnapshot.ResourceGroupId;
    private const string App = $"[reference('{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-4yfan3patq3vg', '2023-01-31').principalId]";

    [Fact]
    public void The_app_holds_exactly_the_least_privilege_set_outside_the_token_vaults()
    {
        var roles = Deployments.ThreeClients.RoleAssignments
            .Where(a => a.Principal == App && !a.Scope.Contains("/vaults/kvt", StringComparison.Ordinal))
            .Select(a => (a.Scope, a.Role))
            .Order()
            .ToList();
        Assert.Equal(
            new[]
            {
                ($"{Group}/providers/Microsoft.Storage/storageAccounts/st4yfan3patq3vg", BlobDataOwner),
                ($"{Group}/providers/Microsoft.Storage/storageAccounts/st4yfan3patq3vg", TableDataContributor),
                ($"{Group}/providers/Microsoft.Insights/components/appi-4yfan3patq3vg", MetricsPublisher),
                ($"{Group}/providers/Microsoft.KeyVault/vaults/kvc-4yfan3patq3vg", SecretsUser),
            }.Order(),
            roles);
    }

    [Fact]
    public void Nobody_but_the_app_gets_a_data_plane_role_on_the_credentials_vault()
    {
        Assert.All(
            new[] { Deployments.ThreeClients, Deployments.NamedClientsOnly }.SelectMany(s => s.RoleAssignments).Where(a => a.Scope.EndsWith("/kvc-4yfan3patq3vg", StringComparison.Ordinal)),
            a => Assert.Equal((App, SecretsUser), (a.Principal, a.Role)));
    }

    [Fact]
    public void Only_the_credentials_vault_holds_the_welkin_credentials()
    {
        Assert.All(Deployments.ThreeClients.OfType("Microsoft.KeyVault/vaults/secrets"),
            s => Assert.StartsWith("kvc-4yfan3patq3vg/welkin-api-", s.GetProperty("name").GetString(), StringComparison.Ordinal));
        Assert.Equal(8, Deployments.ThreeClients.OfType("Microsoft.KeyVault/vaults/secrets").Count());
    }

    [Fact]
    public void Rbac_module_targets_the_apps_identity_and_the_deployed_vaults()
    {
        var rbac = bicep.Template.ModuleNamed("rbac");
        Assert.Equal(("identity", "principalId"), ArmTemplate.ModuleOutputIn(rbac.PassedValue("appPrincipalId")));
        Assert.Equal(("vaults", "tokenVaultNames"), ArmTemplate.ModuleOutputIn(rbac.PassedValue("tokenVaultNames")));
        Assert.Equal(("vaults", "credentialsVaultName"), ArmTemplate.ModuleOutputIn(rbac.PassedValue("credentialsVaultName")));
        Assert.Equal(("storage", "storageAccountName"), ArmTemplate.ModuleOutputIn(rbac.PassedValue("storageAccountName")));
        Assert.Equal(("monitoring", "applicationInsightsName"), ArmTemplate.ModuleOutputIn(rbac.PassedValue("applicationInsightsName")));
    }

    [Fact]
    public void Role_assignment_names_are_deterministic_guids_of_scope_principal_and_role()
    {
        Assert.All(bicep.Template.OfType("Microsoft.Authorization/roleAssignments"), r =>
        {
            Assert.StartsWith("[guid(", r.Name, StringComparison.Ordinal);
            Assert.Contains(r.Scope!.Trim('[', ']'), r.Name, StringComparison.Ordinal);
            // A system-assigned identity's principal is known only once its resource exists, so the name takes that resource.
            var principal = r.Properties.GetProperty("principalId").GetString()!;
            var identityOf = Regex.Match(principal, @"^\[reference\((resourceId\('Microsoft\.Insights/scheduledQueryRules', .+\)), '[\d-]+', 'full'\)\.identity\.principalId\]$");
            Assert.Contains(identityOf.Success ? identityOf.Groups[1].Value : principal.Trim('[', ']'), r.Name, StringComparison.Ordinal);
        });
    }
}
