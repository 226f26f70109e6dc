using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// One token vault per client, every role at vault scope (issue 19, item 1): each scope is a resource the same deployment
/// creates, so a first <c>azd up</c> with consumer grants, or a new client with its grant, succeeds in one provision.
/// </summary>
public sealed partial class TokenVaultTests
{
    private const string SecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string Group = BicepSnapshot.ResourceGroupId;
    private const string VaultType = "Microsoft.KeyVault/vaults";
    private const string AppIdentity = $"[reference('{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-4yfan3patq3vg', '2023-01-31').principalId]";

    public static TheoryData<string> AllDeployments => new() { "single", "three", "named-only", "api-clients", "single-private", "three-private" };

    private static BicepSnapshot Snapshot(string name) => name switch
    {
        "single" => Deployments.SingleClient,
        "three" => Deployments.ThreeClients,
        "named-only" => Deployments.NamedClientsOnly,
        "api-clients" => Deployments.DefaultClientOnApiClients,
        "single-private" => Deployments.SingleClientPrivate,
        "three-private" => Deployments.ThreeClientsPrivate,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string VaultId(string name) => $"{Group}/providers/{VaultType}/{name}";

    /// <summary>
    /// Client name to token vault name, from the TOKEN_VAULTS output: an object known only at deployment (the URIs are the
    /// vaults'), so the snapshot has it as createObject('client', createObject('vaultName', '…', 'vaultUri', …, 'secretName', '…'), …).
    /// </summary>
    internal static Dictionary<string, (string Vault, string Uri, string Secret)> TokenVaultOutput(BicepSnapshot snapshot) =>
        VaultEntry().Matches(snapshot.Output("TOKEN_VAULTS"))
            .ToDictionary(m => m.Groups["client"].Value, m => (m.Groups["vault"].Value, m.Groups["uri"].Value, m.Groups["secret"].Value));

    private static Dictionary<string, string> TokenVaults(BicepSnapshot snapshot) => TokenVaultOutput(snapshot).ToDictionary(p => p.Key, p => p.Value.Vault);

    [Fact]
    public void Every_client_has_a_token_vault_of_its_own_and_the_default_client_keeps_its_vault()
    {
        var vaults = TokenVaults(Deployments.ThreeClients);
        Assert.Equal(["default", "legacy2", "live", "staging"], vaults.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("kvt-4yfan3patq3vg", vaults["default"]);
        Assert.Equal(vaults.Count, vaults.Values.Distinct().Count());
        Assert.Equal(
            vaults.Values.Append("kvc-4yfan3patq3vg").Order(StringComparer.Ordinal),
            Deployments.ThreeClients.NamesOf(VaultType));
    }

    private static readonly string[] ManyNames = ["a", "live", "abcdefghijklmnopqrstuvwxyz0123456789abcd", "livelongname", "livelongother"];

    private static string ClientList(IEnumerable<string> names) => $"param welkinClients = [{string.Join(", ", names.Select(n => $"{{ name: '{n}' }}"))}]";

    private static readonly Lazy<Dictionary<string, string>> ManyClients = new(() => TokenVaults(BicepSnapshot.Of(BicepSnapshot.Parameters(ClientList(ManyNames)))));

    [Fact]
    public void A_named_clients_vault_name_follows_key_vaults_rule_for_any_valid_client_name()
    {
        Assert.All(ManyNames, client =>
        {
            var name = ManyClients.Value[client];
            // Key Vault: 3-24 characters, letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--".
            Assert.Matches(VaultNamePattern(), name);
            Assert.DoesNotContain("--", name, StringComparison.Ordinal);
            Assert.StartsWith($"kvt{client[..Math.Min(7, client.Length)]}-", name, StringComparison.Ordinal);
        });

        // The same 7-character prefix, told apart by the hash.
        Assert.Equal(ManyNames.Length + 1, ManyClients.Value.Values.Distinct().Count());
    }

    [Fact]
    public void Vault_names_depend_on_the_environment_and_the_client_name_only()
    {
        var reordered = TokenVaults(BicepSnapshot.Of(BicepSnapshot.Parameters(ClientList(ManyNames.Reverse()))));
        var otherEnvironment = TokenVaults(BicepSnapshot.Of(BicepSnapshot.Parameters(ClientList(ManyNames)).Replace("'welkin-test'", "'welkin-prod'", StringComparison.Ordinal)));

        Assert.All(ManyNames, client =>
        {
            Assert.Equal(ManyClients.Value[client], reordered[client]);
            Assert.NotEqual(ManyClients.Value[client], otherEnvironment[client]);
        });
    }

    [Theory]
    [MemberData(nameof(AllDeployments))]
    public void Every_role_assignment_is_scoped_to_a_resource_the_same_deployment_creates_and_none_to_a_secret(string deployment)
    {
        var snapshot = Snapshot(deployment);
        var created = snapshot.Resources.Select(r => r.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(snapshot.RoleAssignments);
        Assert.All(snapshot.RoleAssignments, a =>
        {
            Assert.Contains(a.Scope, created);
            Assert.DoesNotContain("/secrets/", a.Scope, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_app_writes_every_clients_token_vault_and_reads_only_the_credentials_vault()
    {
        var snapshot = Deployments.ThreeClients;
        var onVaults = snapshot.RoleAssignments.Where(a => a.Principal == AppIdentity && a.Scope.Contains("/vaults/", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            TokenVaults(snapshot).Values.Select(v => (VaultId(v), SecretsOfficer)).Append((VaultId("kvc-4yfan3patq3vg"), SecretsUser)).Order(),
            onVaults.Select(a => (a.Scope, a.Role)).Order());
    }

    [Fact]
    public void A_consumer_reads_exactly_the_tokens_of_its_clients_and_nothing_else()
    {
        var snapshot = Deployments.ThreeClients;
        var vaults = TokenVaults(snapshot);
        // Consumers are the literal object ids of the parameters; the app and the alert rules' identities are references.
        var consumers = snapshot.RoleAssignments.Where(a => !a.Principal.StartsWith('[')).ToList();
        Assert.DoesNotContain(snapshot.RoleAssignments, a => a.Principal.StartsWith('[') && a.Principal != AppIdentity && a.Scope.Contains("/vaults/", StringComparison.Ordinal));
        Assert.All(consumers, a => Assert.Equal(SecretsUser, a.Role));

        string[] Scopes(char principal) => [.. consumers.Where(a => a.Principal.StartsWith(principal)).Select(a => a.Scope).Order(StringComparer.Ordinal)];

        // consumerPrincipalIds: every client's token; the grants: their clients' vaults only. Nobody but the app on kvc.
        Assert.Equal(vaults.Values.Select(VaultId).Order(StringComparer.Ordinal), Scopes('1'));
        Assert.Equal([VaultId(vaults["live"])], Scopes('2'));
        Assert.Equal(new[] { VaultId(vaults["default"]), VaultId(vaults["staging"]) }.Order(StringComparer.Ordinal), Scopes('3'));
        Assert.DoesNotContain(consumers, a => a.Scope.Contains("kvc-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_principal_both_vault_wide_and_granted_a_client_gets_one_assignment_per_vault()
    {
        var snapshot = BicepSnapshot.Of(BicepSnapshot.Parameters("""
            param welkinClients = [{ name: 'live' }]
            param consumerPrincipalIds = ['11111111-1111-1111-1111-111111111111']
            param consumerGrants = [{ principalId: '11111111-1111-1111-1111-111111111111', clients: ['live', 'live'] }]
            """));
        var assignments = snapshot.RoleAssignments.Where(a => a.Principal == "11111111-1111-1111-1111-111111111111").ToList();
        Assert.Equal(2, assignments.Count);
        Assert.Equal(2, assignments.Select(a => a.Scope).Distinct().Count());
    }

    [Fact]
    public void Nothing_declares_a_token_secret()
    {
        // The app creates each at its first refresh; an ARM-declared one would write a new version over a good token.
        var vaults = TokenVaults(Deployments.ThreeClients).Values.Select(VaultId).ToList();
        Assert.DoesNotContain(Deployments.ThreeClients.OfType("Microsoft.KeyVault/vaults/secrets"),
            s => vaults.Any(v => s.GetProperty("id").GetString()!.StartsWith(v + "/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(AllDeployments))]
    public void Every_vault_uses_rbac_soft_delete_purge_protection_and_sends_audit_events(string deployment)
    {
        var snapshot = Snapshot(deployment);
        var vaults = snapshot.OfType(VaultType).ToList();
        Assert.NotEmpty(vaults);
        Assert.All(vaults, v =>
        {
            var properties = v.GetProperty("properties");
            Assert.True(properties.GetProperty("enableRbacAuthorization").GetBoolean());
            Assert.True(properties.GetProperty("enableSoftDelete").GetBoolean());
            Assert.True(properties.GetProperty("enablePurgeProtection").GetBoolean());
            Assert.False(properties.TryGetProperty("accessPolicies", out _));
            var diagnostics = snapshot.Resource("Microsoft.Insights/diagnosticSettings", $"{v.GetProperty("name").GetString()}/providers/Microsoft.Insights/diagnosticSettings/to-log-analytics");
            var log = Assert.Single(diagnostics.GetProperty("properties").GetProperty("logs").EnumerateArray());
            Assert.Equal("AuditEvent", log.GetProperty("category").GetString());
        });
    }

    [Fact]
    public void Outputs_give_each_clients_vault_uri_and_secret_name()
    {
        var output = TokenVaultOutput(Deployments.ThreeClients);
        Assert.Equal(["default", "legacy2", "live", "staging"], output.Keys.Order(StringComparer.Ordinal));
        Assert.All(output, client => Assert.Equal($"reference('{VaultId(client.Value.Vault)}', '2023-07-01').vaultUri", client.Value.Uri));
        Assert.Equal("welkin-api-token-live", output["live"].Secret);
        Assert.Equal("welkin-staging-token", output["staging"].Secret);
        Assert.Equal("welkin-api-token", output["default"].Secret);

        var secretNames = Deployments.ThreeClients.Outputs.GetProperty("TOKEN_SECRET_NAMES");
        Assert.All(output, client => Assert.Equal(client.Value.Secret, secretNames.GetProperty(client.Key).GetString()));
    }

    [Fact]
    public void Each_named_client_reaches_the_app_with_its_own_vault_and_secret()
    {
        var snapshot = Deployments.ThreeClients;
        foreach (var (client, vault) in TokenVaults(snapshot).Where(v => v.Key != "default"))
        {
            Assert.Equal($"[reference('{VaultId(vault)}', '2023-07-01').vaultUri]", snapshot.AppSettings[$"Welkin__Clients__{client}__VaultUri"]);
            Assert.Equal(snapshot.Outputs.GetProperty("TOKEN_SECRET_NAMES").GetProperty(client).GetString(), snapshot.AppSettings[$"Welkin__Clients__{client}__SecretName"]);
        }

        Assert.Equal($"[reference('{VaultId("kvt-4yfan3patq3vg")}', '2023-07-01').vaultUri]", snapshot.AppSettings["KeyVault__VaultUri"]);
    }

    [Fact]
    public void Token_events_get_a_system_topic_per_token_vault()
    {
        var snapshot = BicepSnapshot.Of(Deployments.Text("three-clients.bicepparam") + "param enableTokenEvents = true");
        var topics = snapshot.OfType("Microsoft.EventGrid/systemTopics").ToList();
        Assert.Equal(
            TokenVaults(snapshot).Values.Select(VaultId).Order(StringComparer.Ordinal),
            topics.Select(t => t.GetProperty("properties").GetProperty("source").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(topics, t => Assert.Equal("Microsoft.KeyVault.vaults", t.GetProperty("properties").GetProperty("topicType").GetString()));
        Assert.Contains(topics, t => t.GetProperty("name").GetString() == "evgt-4yfan3patq3vg");
        Assert.Empty(Deployments.ThreeClients.OfType("Microsoft.EventGrid/systemTopics"));
    }

    [GeneratedRegex(@"'(?<client>[a-z0-9]+)', createObject\('vaultName', '(?<vault>[^']+)', 'vaultUri', (?<uri>reference\('[^']+', '[\d-]+'\)\.vaultUri), 'secretName', '(?<secret>[^']+)'\)")]
    private static partial Regex VaultEntry();

    [GeneratedRegex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$")]
    private static partial Regex VaultNamePattern();
}
