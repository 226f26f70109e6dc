using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// Every package this repository ships carries a CycloneDX SBOM (sbom/bom.cdx.json, security/Sbom.targets) whose root is
/// the package's project and whose direct dependencies are the packages and projects it references, at the versions it
/// was built with.
/// </summary>
public sealed partial class PackageSbomTests(PackedPackages packages) : IClassFixture<PackedPackages>
{
    private const string SbomPath = "sbom/bom.cdx.json";

    // The tool is built for the repository's one target framework.
    private static readonly string ToolTargetFramework =
        XDocument.Load(RepoPaths.Combine("Directory.Build.props")).Descendants("TargetFramework").Single().Value;

    [Fact]
    public void The_client_package_sbom_lists_its_declared_dependencies_with_their_versions()
    {
        var package = Assert.Single(packages.Packages("WelkinTokenRefresher.Client."));
        using var archive = ZipFile.OpenRead(package);
        var bom = Sbom(archive);
        var declared = Nuspec(archive).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(d => (d.Attribute("id")!.Value, d.Attribute("version")!.Value))
            .ToHashSet();

        Assert.Equal("WelkinTokenRefresher.Client", bom.RootName);
        Assert.NotEmpty(declared);
        Assert.Subset(bom.DirectDependenciesOf(bom.Root), declared);
    }

    [Fact]
    public void Every_tool_package_sbom_lists_what_the_tool_references_with_versions()
    {
        var tools = packages.Packages("WelkinTokenRefresher.Cli.");
        var ids = tools.Select(PackageId).ToList();
        Assert.Contains("WelkinTokenRefresher.Cli", ids);
        Assert.Contains("WelkinTokenRefresher.Cli.any", ids);
        if (packages.FromCi)
        {
            Assert.Contains(ids, id => id is not ("WelkinTokenRefresher.Cli" or "WelkinTokenRefresher.Cli.any"));
        }

        Assert.All(tools, tool =>
        {
            using var archive = ZipFile.OpenRead(tool);
            var bom = Sbom(archive);
            Assert.Equal("WelkinTokenRefresher.Cli", bom.RootName);
            var direct = bom.DirectDependenciesOf(bom.Root);
            Assert.Subset(direct, DirectPackages("WelkinTokenRefresher.Cli"));

            // Everything the referenced projects bring is compiled into the tool: each is listed with its own packages.
            foreach (var reference in ProjectReferences("WelkinTokenRefresher.Cli"))
            {
                Assert.Contains(direct, d => d.Name == reference);
                Assert.Subset(bom.DirectDependenciesOf(bom.RefOf(reference)), DirectPackages(reference));
            }
        });
    }

    private static CycloneDxBom Sbom(ZipArchive package)
    {
        var entry = package.GetEntry(SbomPath);
        Assert.True(entry is not null, $"{SbomPath} is missing from the package.");
        using var stream = entry.Open();
        using var json = JsonDocument.Parse(stream);
        return new CycloneDxBom(json.RootElement);
    }

    private static string PackageId(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        return Nuspec(archive).Descendants().Single(e => e.Name.LocalName == "id").Value;
    }

    private static XDocument Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static string ProjectFile(string project) => RepoPaths.Combine("src", project, $"{project}.csproj");

    // The packages a project references when built for the tool's target framework (build-time only ones,
    // PrivateAssets="all", excepted), at their central versions. A library that targets several frameworks (the Client)
    // brings its other frameworks' packages (netstandard2.0 polyfills) to none of them.
    private static HashSet<(string Name, string Version)> DirectPackages(string project)
    {
        var versions = XDocument.Load(RepoPaths.Combine("Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(v => v.Attribute("Include")!.Value, v => v.Attribute("Version")!.Value);
        return XDocument.Load(ProjectFile(project)).Descendants("PackageReference")
            .Where(r => r.Attribute("PrivateAssets")?.Value != "all")
            .Where(r => AppliesToTool(r) && AppliesToTool(r.Parent!))
            .Select(r => r.Attribute("Include")!.Value)
            .Select(id => (id, versions[id]))
            .ToHashSet();
    }

    private static bool AppliesToTool(XElement element) => element.Attribute("Condition")?.Value switch
    {
        null => true,
        var condition when TargetFrameworkCondition().Match(condition) is { Success: true } match => match.Groups[1].Value == ToolTargetFramework,
        var condition => throw new InvalidOperationException($"This test reads only conditions on one target framework; teach it '{condition}'."),
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*'\$\(TargetFramework\)'\s*==\s*'([^']+)'\s*$")]
    private static partial System.Text.RegularExpressions.Regex TargetFrameworkCondition();

    private static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(ProjectFile(project)).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')));
}
