using YamlDotNet.RepresentationModel;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// .github/dependabot.yml keeps NuGet packages, every npm lockfile, the GitHub Actions pins and the pinned SDK current,
/// each ecosystem's version updates grouped into one pull request a week.
/// </summary>
public sealed class DependabotTests
{
    private static readonly YamlMappingNode Config = Load();

    private static IReadOnlyList<YamlMappingNode> Updates => ((YamlSequenceNode)Config["updates"]).Children.Cast<YamlMappingNode>().ToList();

    [Theory]
    [InlineData("nuget")]
    [InlineData("npm")]
    [InlineData("github-actions")]
    [InlineData("dotnet-sdk")]
    public void Each_ecosystem_is_updated_weekly(string ecosystem)
    {
        var update = Assert.Single(Updates, u => Workflow.Scalar(u, "package-ecosystem") == ecosystem);
        Assert.Equal("weekly", Workflow.Scalar((YamlMappingNode)update["schedule"], "interval"));
    }

    [Theory]
    [InlineData("nuget")]
    [InlineData("npm")]
    [InlineData("github-actions")]
    public void Each_ecosystem_groups_every_update_into_one_pull_request(string ecosystem)
    {
        var update = Updates.Single(u => Workflow.Scalar(u, "package-ecosystem") == ecosystem);
        var group = Assert.Single(((YamlMappingNode)update["groups"]).Children).Value;
        var patterns = ((YamlSequenceNode)((YamlMappingNode)group)["patterns"]).Children.Cast<YamlScalarNode>().Select(p => p.Value);
        Assert.Equal(["*"], patterns);
    }

    [Fact]
    public void Npm_updates_cover_every_lockfile_folder()
    {
        var npm = Updates.Single(u => Workflow.Scalar(u, "package-ecosystem") == "npm");
        var directories = ((YamlSequenceNode)npm["directories"]).Children.Cast<YamlScalarNode>().Select(d => d.Value!.TrimStart('/')).Order(StringComparer.Ordinal);
        Assert.Equal(NpmLockfiles.Folders, directories);
    }

    [Theory]
    [InlineData("nuget")]
    [InlineData("github-actions")]
    [InlineData("dotnet-sdk")]
    public void Repository_wide_ecosystems_start_at_the_root(string ecosystem) =>
        Assert.Equal("/", Workflow.Scalar(Updates.Single(u => Workflow.Scalar(u, "package-ecosystem") == ecosystem), "directory"));

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(RepoPaths.Combine(".github", "dependabot.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
