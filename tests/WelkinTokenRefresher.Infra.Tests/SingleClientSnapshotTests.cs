using System.Text.Json;
using System.Text.Json.Nodes;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// A deployment with only the parameters azd has always passed produces what it produced before per-client vaults,
/// private networking and optional credentials: every resource and output of Deployments/single-client.baseline.json,
/// with exactly the changes listed here, each of which deploys the same thing or is what issue 19 asks for.
/// </summary>
public sealed class SingleClientSnapshotTests
{
    private const string Group = BicepSnapshot.ResourceGroupId;
    private const string CredentialsVault = $"{Group}/providers/Microsoft.KeyVault/vaults/kvc-4yfan3patq3vg";
    private const string Site = $"{Group}/providers/Microsoft.Web/sites/func-4yfan3patq3vg";

    /// <summary>
    /// The changes, resource by resource: a credential is written only when given (issue 19, item 6), so its secret is
    /// conditional and the app's Key Vault reference is built from the vault's URI instead of the secret resource's:
    /// Key Vault's versionless secret URI is {vaultUri}secrets/{name}, the same URI at deployment.
    /// </summary>
    private static readonly (string Id, string[] Path, string? Old, string New)[] Changes =
    [
        ($"{CredentialsVault}/secrets/welkin-api-client", ["condition"], null, "[not(empty(parameters('welkinApiClient')))]"),
        ($"{CredentialsVault}/secrets/welkin-api-secret", ["condition"], null, "[not(empty(parameters('welkinSecret')))]"),
        (Site, ["properties", "siteConfig", "appSettings", "9", "value"],
            $"[format('@Microsoft.KeyVault(SecretUri={{0}})', reference('{CredentialsVault}/secrets/welkin-api-client', '2023-07-01').secretUri)]",
            $"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', reference('{CredentialsVault}', '2023-07-01').vaultUri, 'welkin-api-client')]"),
        (Site, ["properties", "siteConfig", "appSettings", "10", "value"],
            $"[format('@Microsoft.KeyVault(SecretUri={{0}})', reference('{CredentialsVault}/secrets/welkin-api-secret', '2023-07-01').secretUri)]",
            $"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', reference('{CredentialsVault}', '2023-07-01').vaultUri, 'welkin-api-secret')]"),
    ];

    /// <summary>New outputs: every client's vault (one client here), the network's name (none: private networking is off), the workbook.</summary>
    private static readonly string[] AddedOutputs = ["TOKEN_VAULTS", "VNET_NAME", "WORKBOOK_ID", "WORKBOOK_URL"];

    /// <summary>
    /// The alert rules, their identities' roles on the workspace and the workbook are issue 20's to change or add;
    /// AlertTests and MetricsContractTests cover them.
    /// </summary>
    private static bool IsAlerting(JsonNode resource) =>
        resource["type"]!.GetValue<string>() is "Microsoft.Insights/scheduledQueryRules" or "Microsoft.Insights/workbooks"
        || (resource["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments"
            && resource["id"]!.GetValue<string>().Contains("/workspaces/log-4yfan3patq3vg/providers/Microsoft.Authorization/", StringComparison.Ordinal));

    [Fact]
    public void A_single_client_deployment_produces_the_same_resources_as_before_apart_from_the_listed_changes()
    {
        var baseline = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("tests", "WelkinTokenRefresher.Infra.Tests", "Deployments", "single-client.baseline.json")))!;
        var expected = baseline["predictedResources"]!.AsArray().Where(r => !IsAlerting(r!)).Select(r => r!.DeepClone()).ToList();
        foreach (var (id, path, old, @new) in Changes)
        {
            var resource = Assert.Single(expected, r => r!["id"]!.GetValue<string>() == id)!;
            var parent = path[..^1].Aggregate(resource, (node, step) => int.TryParse(step, out var index) ? node[index]! : node[step]!);
            var current = parent is JsonArray array ? array[int.Parse(path[^1], System.Globalization.CultureInfo.InvariantCulture)] : parent[path[^1]];
            Assert.Equal(old, current?.GetValue<string>());
            parent[path[^1]] = @new;
        }

        var actual = Deployments.SingleClient.Resources.Select(r => JsonNode.Parse(r.GetRawText())!).Where(r => !IsAlerting(r)).ToList();
        var expectedById = expected.ToDictionary(r => r!["id"]!.GetValue<string>());
        var actualById = actual.ToDictionary(r => r["id"]!.GetValue<string>());
        Assert.Equal(expectedById.Keys.Order(StringComparer.Ordinal), actualById.Keys.Order(StringComparer.Ordinal));
        Assert.All(expectedById, pair => Assert.True(JsonNode.DeepEquals(pair.Value, actualById[pair.Key]),
            $"{pair.Key} changed. Now:\n{actualById[pair.Key].ToJsonString(new JsonSerializerOptions { WriteIndented = true })}"));

        var baselineOutputs = baseline["outputs"]!.AsObject();
        var outputs = JsonNode.Parse(Deployments.SingleClient.Outputs.GetRawText())!.AsObject();
        Assert.Equal(baselineOutputs.Select(o => o.Key).Concat(AddedOutputs).Order(StringComparer.Ordinal), outputs.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.All(baselineOutputs, o => Assert.True(JsonNode.DeepEquals(o.Value, outputs[o.Key]), $"Output {o.Key} changed: {outputs[o.Key]}"));
        Assert.Equal(string.Empty, Deployments.SingleClient.Output("VNET_NAME"));
    }

    [Fact]
    public void Turning_private_networking_off_explicitly_is_the_default()
    {
        var off = BicepSnapshot.Of(Deployments.Text("single-client.bicepparam") + "param vnetEnabled = false");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Deployments.SingleClient.Root.GetRawText()), JsonNode.Parse(off.Root.GetRawText())));
    }
}
