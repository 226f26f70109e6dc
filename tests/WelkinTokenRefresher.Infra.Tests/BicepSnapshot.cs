using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// What a deployment of infra/main.bicep with one .bicepparam file would create, from <c>bicep snapshot</c>: the
/// template evaluated with those parameters (loops expanded, names and settings computed, modules inlined) without
/// Azure. Values that only exist after deployment stay expressions, e.g. <c>[reference(…).secretUri]</c>, and secure
/// parameters are never evaluated (a secret's value stays <c>[parameters('…')]</c>).
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

    /// <summary>Snapshots a committed parameter file of Deployments/ (its <c>using</c> path points at infra/main.bicep).</summary>
    public static BicepSnapshot OfFile(string bicepparamFileName) =>
        Of(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "WelkinTokenRefresher.Infra.Tests", "Deployments", bicepparamFileName)));

    /// <summary>Snapshots the given .bicepparam text; a failing evaluation (e.g. a fail() of the template) throws with its message.</summary>
    public static BicepSnapshot Of(string bicepparam) =>
        TrySnapshot(bicepparam, out var snapshot, out var error) ? snapshot! : throw new InvalidOperationException(error);

    /// <summary>The message of a snapshot that must fail.</summary>
    public static string FailureOf(string bicepparam) =>
        TrySnapshot(bicepparam, out _, out var error) ? throw new InvalidOperationException("The snapshot succeeded.") : error!;

    private static bool TrySnapshot(string bicepparam, out BicepSnapshot? snapshot, out string? error)
    {
        // A copy of infra/ under the same relative path, so the snapshot file lands outside the repository.
        var workspace = Directory.CreateTempSubdirectory("welkin-snapshot-").FullName;
        try
        {
            CopyDirectory(RepoPaths.Combine("infra"), Path.Combine(workspace, "infra"));
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
