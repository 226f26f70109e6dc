using System.Text.Json;
using System.Text.Json.Nodes;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>Snapshots of Deployments/three-clients.bicepparam and Deployments/single-client.bicepparam, taken once.</summary>
public sealed class DeploymentSnapshots
{
    public BicepSnapshot ThreeClients { get; } = BicepSnapshot.OfFile("three-clients.bicepparam");

    public BicepSnapshot SingleClient { get; } = BicepSnapshot.OfFile("single-client.bicepparam");
}

public sealed class MultiClientDeploymentTests(DeploymentSnapshots snapshots) : IClassFixture<DeploymentSnapshots>
{
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string Group = BicepSnapshot.ResourceGroupId;
    private const string CredentialsVault = $"{Group}/providers/Microsoft.KeyVault/vaults/kvc-4yfan3patq3vg";
    private const string TokenVault = $"{Group}/providers/Microsoft.KeyVault/vaults/kvt-4yfan3patq3vg";

    private static readonly string[] FakeCredentials =
    [
        "fake-default-key", "fake-default-secret", "fake-live-key", "fake-live-secret",
        "fake-staging-key", "fake-staging-secret", "fake-legacy-key", "fake-legacy-secret",
    ];

    private BicepSnapshot Three => snapshots.ThreeClients;

    [Fact]
    public void Each_clients_key_and_secret_are_separate_secrets_of_the_credentials_vault_from_the_secure_parameters()
    {
        var secrets = Three.OfType("Microsoft.KeyVault/vaults/secrets").ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(
            new[] { "welkin-api-client", "welkin-api-secret", "welkin-api-client-live", "welkin-api-secret-live",
                "welkin-api-client-staging", "welkin-api-secret-staging", "welkin-api-client-legacy2", "welkin-api-secret-legacy2" }
                .Select(name => $"{CredentialsVault}/secrets/{name}").Order(),
            secrets.Keys.Order());

        foreach (var (client, index) in new[] { ("live", 0), ("staging", 1), ("legacy2", 2) })
        {
            foreach (var member in new[] { "apiClient", "secret" })
            {
                var name = member == "apiClient" ? $"welkin-api-client-{client}" : $"welkin-api-secret-{client}";
                var value = secrets[$"{CredentialsVault}/secrets/{name}"].GetProperty("properties").GetProperty("value").GetString()!;
                // The secure object's member for this client, or a deployment failure naming the client (never a value).
                Assert.StartsWith("[if(", value, StringComparison.Ordinal);
                Assert.Contains($"parameters('welkinClientCredentials')[parameters('welkinClientNames')[{index}]].{member}", value, StringComparison.Ordinal);
                Assert.Contains($"contains(parameters('welkinClientCredentials'), '{client}')", value, StringComparison.Ordinal);
                Assert.Contains($"fail(format('welkinClientCredentials: client {{0}} has no {member};", value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Each_client_reaches_the_app_with_key_vault_references_its_token_secret_and_only_the_settings_it_sets()
    {
        var clientSettings = Three.AppSettings.Where(s => s.Key.StartsWith("Welkin__Clients__", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value);

        string Reference(string secret) =>
            $"[format('@Microsoft.KeyVault(SecretUri={{0}})', reference('{CredentialsVault}/secrets/{secret}', '2023-07-01').secretUri)]";

        var expected = new Dictionary<string, string>
        {
            ["Welkin__Clients__live__ApiClient"] = Reference("welkin-api-client-live"),
            ["Welkin__Clients__live__Secret"] = Reference("welkin-api-secret-live"),
            ["Welkin__Clients__live__SecretName"] = "welkin-api-token-live",
            ["Welkin__Clients__live__Api"] = "api-clients",
            ["Welkin__Clients__live__Tenant"] = "acme",
            ["Welkin__Clients__live__BaseUrl"] = "https://api.live.welkincloud.io",
            ["Welkin__Clients__staging__ApiClient"] = Reference("welkin-api-client-staging"),
            ["Welkin__Clients__staging__Secret"] = Reference("welkin-api-secret-staging"),
            ["Welkin__Clients__staging__SecretName"] = "welkin-staging-token",
            ["Welkin__Clients__staging__Api"] = "api-clients",
            ["Welkin__Clients__staging__Tenant"] = "acme-stg",
            ["Welkin__Clients__staging__BaseUrl"] = "https://api.stg.welkincloud.io",
            // No Api or Tenant: unset values inherit from the default client.
            ["Welkin__Clients__legacy2__ApiClient"] = Reference("welkin-api-client-legacy2"),
            ["Welkin__Clients__legacy2__Secret"] = Reference("welkin-api-secret-legacy2"),
            ["Welkin__Clients__legacy2__SecretName"] = "welkin-api-token-legacy2",
            ["Welkin__Clients__legacy2__BaseUrl"] = "https://legacy.example.org",
            ["Welkin__Clients__legacy2__TokenPath"] = "/v1/auth/token",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), clientSettings.OrderBy(p => p.Key));

        // The default client is untouched: its settings are those of a single-client deployment.
        var defaults = Three.AppSettings.Where(s => !s.Key.StartsWith("Welkin__Clients__", StringComparison.Ordinal));
        Assert.Equal(snapshots.SingleClient.AppSettings.OrderBy(p => p.Key), defaults.OrderBy(p => p.Key));
    }

    [Fact]
    public void Consumers_get_secrets_user_vault_wide_or_on_exactly_the_token_secrets_of_their_clients()
    {
        var consumerScopes = Three.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => (Id: r.GetProperty("id").GetString()!, Properties: r.GetProperty("properties")))
            .Where(r => r.Properties.GetProperty("principalId").GetString()!.StartsWith('1')
                || r.Properties.GetProperty("principalId").GetString()!.StartsWith('2')
                || r.Properties.GetProperty("principalId").GetString()!.StartsWith('3'))
            .Select(r =>
            {
                Assert.EndsWith(SecretsUser, r.Properties.GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
                var scope = r.Id[..r.Id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.Ordinal)];
                return (Principal: r.Properties.GetProperty("principalId").GetString()![..1], Scope: scope);
            })
            .Order()
            .ToList();

        Assert.Equal(
            [
                ("1", TokenVault),
                ("2", $"{TokenVault}/secrets/welkin-api-token-live"),
                ("3", $"{TokenVault}/secrets/welkin-api-token"),
                ("3", $"{TokenVault}/secrets/welkin-staging-token"),
            ],
            consumerScopes);

        // Nothing declares a token secret: the app creates each at its first refresh, and a declared one would write a
        // new version over a good token at every deployment.
        Assert.DoesNotContain(Three.OfType("Microsoft.KeyVault/vaults/secrets"),
            s => s.GetProperty("id").GetString()!.StartsWith(TokenVault, StringComparison.Ordinal));
    }

    [Fact]
    public void Outputs_name_every_token_secret_and_no_credential_appears_anywhere()
    {
        var names = Three.Outputs.GetProperty("TOKEN_SECRET_NAMES");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["default"] = "welkin-api-token", ["live"] = "welkin-api-token-live",
                ["staging"] = "welkin-staging-token", ["legacy2"] = "welkin-api-token-legacy2",
            }.OrderBy(p => p.Key),
            names.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).OrderBy(p => p.Key));

        var text = Three.Root.GetRawText();
        Assert.All(FakeCredentials, credential => Assert.DoesNotContain(credential, text, StringComparison.Ordinal));
        Assert.DoesNotContain(Three.AppSettings.Values, v => v.Contains("welkinClientCredentials", StringComparison.Ordinal));
        Assert.DoesNotContain("welkinClientCredentials", Three.Outputs.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Single_client_parameters_still_produce_the_same_secrets_role_assignments_and_function_app()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("tests", "WelkinTokenRefresher.Infra.Tests", "Deployments", "single-client.expected.json")));
        var types = new[] { "Microsoft.KeyVault/vaults/secrets", "Microsoft.Authorization/roleAssignments", "Microsoft.Web/sites" };
        var actual = new JsonArray(snapshots.SingleClient.Resources.Where(r => types.Contains(r.GetProperty("type").GetString()))
            .Select(r => JsonNode.Parse(r.GetRawText())).ToArray());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.RootElement.GetProperty("predictedResources").GetRawText()), actual),
            $"The single-client deployment changed. Now:\n{actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
        Assert.Equal("welkin-api-token", snapshots.SingleClient.Outputs.GetProperty("TOKEN_SECRET_NAME").GetString());
    }
}
