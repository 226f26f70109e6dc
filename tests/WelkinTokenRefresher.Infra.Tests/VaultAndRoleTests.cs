namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class VaultAndRoleTests(BicepFixture bicep)
{
    private const string SecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private const string TokenVaultScope = "[resourceId('Microsoft.KeyVault/vaults', parameters('tokenVaultName'))]";
    private const string CredentialsVaultScope = "[resourceId('Microsoft.KeyVault/vaults', parameters('credentialsVaultName'))]";
    private const string StorageScope = "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]";
    private const string InsightsScope = "[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]";
    private const string App = "[parameters('appPrincipalId')]";
    private const string Consumer = "[parameters('consumerPrincipalIds')[copyIndex()]]";
    private const string SecretConsumer = "[parameters('consumerSecretGrants')[copyIndex()].principalId]";
    private const string GrantedTokenSecretScope =
        "[resourceId('Microsoft.KeyVault/vaults/secrets', parameters('tokenVaultName'), parameters('consumerSecretGrants')[copyIndex()].secretName)]";

    private sealed record Grant(string Role, string Principal, string Scope);

    private List<Grant> Grants() =>
        bicep.Template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => new Grant(
                r.Owner.RoleGuid(r.Properties.GetProperty("roleDefinitionId").GetString()!),
                r.Properties.GetProperty("principalId").GetString()!,
                r.Scope ?? "(deployment scope)"))
            .ToList();

    [Fact]
    public void Both_vaults_use_rbac_soft_delete_and_purge_protection()
    {
        var vaults = bicep.Template.OfType("Microsoft.KeyVault/vaults").ToList();
        Assert.Equal(["[parameters('credentialsVaultName')]", "[parameters('tokenVaultName')]"], vaults.Select(v => v.Name).Order());
        var properties = bicep.Template.ModuleNamed("vaults").Root.GetProperty("variables").GetProperty("vaultProperties");
        Assert.All(vaults, v => Assert.Equal("[variables('vaultProperties')]", v.Properties.ToString()));

        Assert.True(properties.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(properties.GetProperty("enableSoftDelete").GetBoolean());
        Assert.True(properties.GetProperty("enablePurgeProtection").GetBoolean());
        Assert.False(properties.TryGetProperty("accessPolicies", out _));
    }

    [Fact]
    public void Vault_names_are_distinct()
    {
        var vaults = bicep.Template.Deployment("vaults").Properties.GetProperty("parameters");
        Assert.NotEqual(vaults.GetProperty("tokenVaultName").ToString(), vaults.GetProperty("credentialsVaultName").ToString());
    }

    [Fact]
    public void Only_the_credentials_vault_holds_the_welkin_credentials()
    {
        // The default client's key and secret, and one loop each for the named clients' keys and secrets.
        var secrets = bicep.Template.OfType("Microsoft.KeyVault/vaults/secrets").ToList();
        Assert.Equal(4, secrets.Count);
        Assert.Equal(2, secrets.Count(s => s.Element.TryGetProperty("copy", out _)));
        Assert.All(secrets, s => Assert.StartsWith("[format('{0}/{1}', parameters('credentialsVaultName')", s.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Both_vaults_send_audit_events_to_log_analytics()
    {
        var settings = bicep.Template.OfType("Microsoft.Insights/diagnosticSettings").Where(d => d.Module == "vaults").ToList();
        Assert.Equal([CredentialsVaultScope, TokenVaultScope], settings.Select(s => s.Scope!).Order());
        Assert.All(settings, s =>
        {
            Assert.Equal("[parameters('workspaceId')]", s.Properties.GetProperty("workspaceId").GetString());
            var log = Assert.Single(s.Properties.GetProperty("logs").EnumerateArray());
            Assert.Equal("AuditEvent", log.GetProperty("category").GetString());
            Assert.True(log.GetProperty("enabled").GetBoolean());
        });
    }

    [Fact]
    public void Role_assignments_are_exactly_the_least_privilege_set()
    {
        var expected = new[]
        {
            new Grant(BlobDataOwner, App, StorageScope),
            new Grant(TableDataContributor, App, StorageScope),
            new Grant(MetricsPublisher, App, InsightsScope),
            new Grant(SecretsOfficer, App, TokenVaultScope),
            new Grant(SecretsUser, App, CredentialsVaultScope),
            new Grant(SecretsUser, Consumer, TokenVaultScope),
            new Grant(SecretsUser, SecretConsumer, GrantedTokenSecretScope),
        };

        Assert.Equal(expected.OrderBy(g => g.ToString()), Grants().OrderBy(g => g.ToString()));
    }

    [Fact]
    public void Consumers_can_only_read_and_only_on_the_token_vault()
    {
        var consumerGrants = Grants().Where(g => g.Principal.Contains("consumerPrincipalIds", StringComparison.Ordinal)).ToList();
        var grant = Assert.Single(consumerGrants);
        Assert.Equal(SecretsUser, grant.Role);
        Assert.Equal(TokenVaultScope, grant.Scope);

        var loop = Assert.Single(bicep.Template.OfType("Microsoft.Authorization/roleAssignments"), r => r.Properties.GetProperty("principalId").GetString() == Consumer);
        Assert.Equal("[length(parameters('consumerPrincipalIds'))]", loop.Element.GetProperty("copy").GetProperty("count").GetString());
        Assert.Equal("[parameters('consumerPrincipalIds')]", bicep.Template.ModuleNamed("rbac").PassedValue("consumerPrincipalIds"));
    }

    [Fact]
    public void Per_client_consumers_can_only_read_and_only_their_token_secrets()
    {
        var grant = Assert.Single(Grants(), g => g.Principal == SecretConsumer);
        Assert.Equal(new Grant(SecretsUser, SecretConsumer, GrantedTokenSecretScope), grant);

        // The secret is referenced as existing, never declared (which would write a version over a good token).
        var grants = bicep.Template.ModuleNamed("consumer-grants");
        Assert.Empty(grants.OfType("Microsoft.KeyVault/vaults/secrets"));
        Assert.Equal("[variables('validatedGrants')]", grants.PassedValue("consumerSecretGrants"));
        Assert.Equal(("vaults", "tokenVaultName"), ArmTemplate.ModuleOutputIn(grants.PassedValue("tokenVaultName")));

        // A grant made before the app's first refresh fails only its own module: nothing waits for it.
        Assert.All(bicep.Template.OwnResources.Where(r => r.Element.TryGetProperty("dependsOn", out _)),
            r => Assert.DoesNotContain("'consumer-grants')", r.Element.GetProperty("dependsOn").ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Nobody_but_the_app_gets_a_data_plane_role_on_the_credentials_vault()
    {
        var onCredentials = Grants().Where(g => g.Scope == CredentialsVaultScope).ToList();
        Assert.Equal([new Grant(SecretsUser, App, CredentialsVaultScope)], onCredentials);
    }

    [Fact]
    public void Rbac_module_targets_the_apps_identity_and_the_deployed_vaults()
    {
        var rbac = bicep.Template.ModuleNamed("rbac");
        Assert.Equal(("identity", "principalId"), ArmTemplate.ModuleOutputIn(rbac.PassedValue("appPrincipalId")));
        Assert.Equal(("vaults", "tokenVaultName"), ArmTemplate.ModuleOutputIn(rbac.PassedValue("tokenVaultName")));
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
            Assert.Contains(r.Properties.GetProperty("principalId").GetString()!.Trim('[', ']'), r.Name, StringComparison.Ordinal);
            Assert.Contains(r.Scope!.Trim('[', ']'), r.Name, StringComparison.Ordinal);
        });
    }
}
