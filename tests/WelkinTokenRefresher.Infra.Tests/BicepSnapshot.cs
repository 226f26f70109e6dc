using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// What a deployment of infra/main.bicep with one .bicepparam file would create, from <c>bicep snapshot</c>: the
/// template evaluated with those parameters (loops expanded, names and settings computed, modules inlined) without
/// Azure. Values that only exist after deployment stay expressions, e.g. <c>[reference(…).secretUri]</c>, and secure
/// parameters are never evaluated (a secret's value stays <c>[parameters('…')]</c>), unless the snapshot is taken with
/// <c>revealSecureParameters</c>: then a copy of the template without its <c>@secure()</c> decorators is evaluated, so
/// that what the template does with a credential (write it, leave it, refuse it) can be seen. Only fake values go there.
/// </summary>
public sealed class BicepSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000001";
    public const string ResourceGroupId = $"/subscriptions/{SubscriptionId}/resourceGroups/rg-welkin-test";

    private BicepSnapshot(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public IEnumerable<JsonElement> Resources => Root.GetProperty("predictedResources").EnumerateArray();

    public IEnumerable<JsonElement> OfType(string type) => Resources.Where(r => r.GetProperty("type").GetString() == type);

    public JsonElement Outputs => Root.GetProperty("outputs");

    /// <summary>The function app's settings, name to value.</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        OfType("Microsoft.Web/sites").Single().GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);

    /// <summary>The one resource of <paramref name="type"/> whose id ends with <paramref name="idSuffix"/> (e.g. "/vaults/kvt-abc").</summary>
    public JsonElement Resource(string type, string idSuffix) =>
        Assert.Single(OfType(type), r => r.GetProperty("id").GetString()!.EndsWith(idSuffix, StringComparison.Ordinal));

    /// <summary>Names of the resources of <paramref name="type"/> (the last segment of their names).</summary>
    public IReadOnlyList<string> NamesOf(string type) =>
        [.. OfType(type).Select(r => r.GetProperty("name").GetString()!.Split('/')[^1]).Order(StringComparer.Ordinal)];

    /// <summary>Every role assignment: the resource it is scoped to, the role's guid and the principal (a literal id or a reference expression).</summary>
    public IReadOnlyList<SnapshotRoleAssignment> RoleAssignments =>
        [.. OfType("Microsoft.Authorization/roleAssignments").Select(r => new SnapshotRoleAssignment(
            ScopeOf(r.GetProperty("id").GetString()!),
            r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Split('/')[^1],
            r.GetProperty("properties").GetProperty("principalId").GetString()!))];

    /// <summary>An output's value as JSON text (objects stay objects; values only known at deployment stay expressions).</summary>
    public string Output(string name) => Outputs.GetProperty(name).ValueKind == JsonValueKind.String ? Outputs.GetProperty(name).GetString()! : Outputs.GetProperty(name).GetRawText();

    // A role assignment's id is literal when its name is, else [extensionResourceId('<scope>', 'Microsoft.Authorization/roleAssignments', …)].
    private static string ScopeOf(string id)
    {
        const string extension = "[extensionResourceId('";
        if (id.StartsWith(extension, StringComparison.Ordinal))
        {
            return id[extension.Length..id.IndexOf("', 'Microsoft.Authorization/roleAssignments'", StringComparison.Ordinal)];
        }

        return id[..id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.Ordinal)];
    }

    /// <summary>Snapshots a committed parameter file of Deployments/ (its <c>using</c> path points at infra/main.bicep).</summary>
    public static BicepSnapshot OfFile(string bicepparamFileName) =>
        Of(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "WelkinTokenRefresher.Infra.Tests", "Deployments", bicepparamFileName)));

    /// <summary>A .bicepparam for infra/main.bicep with the test environment's name and region, then <paramref name="body"/>.</summary>
    public static string Parameters(string body) =>
        $"using '../../../infra/main.bicep'\nparam environmentName = 'welkin-test'\nparam location = 'westeurope'\n{body}\n";

    /// <summary>Snapshots the given .bicepparam text; a failing evaluation (e.g. a fail() of the template) throws with its message.</summary>
    public static BicepSnapshot Of(string bicepparam, bool revealSecureParameters = false) =>
        TrySnapshot(bicepparam, revealSecureParameters, out var snapshot, out var error) ? snapshot! : throw new InvalidOperationException(error);

    /// <summary>The message of a snapshot that must fail.</summary>
    public static string FailureOf(string bicepparam, bool revealSecureParameters = false) =>
        TrySnapshot(bicepparam, revealSecureParameters, out _, out var error) ? throw new InvalidOperationException("The snapshot succeeded.") : error!;

    private static bool TrySnapshot(string bicepparam, bool revealSecureParameters, out BicepSnapshot? snapshot, out string? error)
    {
        // A copy of infra/ under the same relative path, so the snapshot file lands outside the repository.
        var workspace = Directory.CreateTempSubdirectory("welkin-snapshot-").FullName;
        try
        {
            CopyDirectory(RepoPaths.Combine("infra"), Path.Combine(workspace, "infra"));
            if (revealSecureParameters)
            {
                RevealSecureParameters(Path.Combine(workspace, "infra"));
            }

            var folder = Path.Combine(workspace, "tests", "WelkinTokenRefresher.Infra.Tests", "Deployments");
            Directory.CreateDirectory(folder);
            var parameters = Path.Combine(folder, "deployment.bicepparam");
            File.WriteAllText(parameters, bicepparam);

            var result = BicepFixture.Run(BicepCli.Locate(), "snapshot", parameters, "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", "00000000-0000-0000-0000-000000000002",
                "--location", "westeurope", "--deployment-name", "main");
            var output = Path.Combine(folder, "deployment.snapshot.json");
            if (result.ExitCode != 0 || BicepFixture.HasDiagnostics(result.StdErr + result.StdOut) || !File.Exists(output))
            {
                (snapshot, error) = (null, $"bicep snapshot failed (exit {result.ExitCode}):\n{result.StdErr}{result.StdOut}");
                return false;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(output));
            (snapshot, error) = (new BicepSnapshot(document.RootElement.Clone()), null);
            return true;
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    /// <summary>Drops every <c>@secure()</c> of the copy, and the linter that would then (rightly) object.</summary>
    private static void RevealSecureParameters(string infra)
    {
        var files = Directory.EnumerateFiles(infra, "*.bicep", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => File.ReadAllText(f).Contains("@secure()", StringComparison.Ordinal));
        foreach (var file in files)
        {
            File.WriteAllLines(file, File.ReadAllLines(file).Where(line => line.Trim() != "@secure()"));
        }

        File.WriteAllText(Path.Combine(infra, "bicepconfig.json"), """{ "analyzers": { "core": { "enabled": false } } }""");
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}

/// <summary>A role assignment of a snapshot: scope (a resource id), role definition guid, principal.</summary>
public sealed record SnapshotRoleAssignment(string Scope, string Role, string Principal);
