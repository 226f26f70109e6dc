using System.Text.RegularExpressions;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// .github/workflows/codeql.yml scans the C# that ships on pushes to main, pull requests and weekly, with a traced build
/// so that source-generated code (logging, JSON, configuration binding) is analysed too.
/// </summary>
public sealed partial class CodeQlTests
{
    private static readonly Workflow CodeQl = Workflows.Named("codeql.yml");

    private static YamlMappingNode On => (YamlMappingNode)CodeQl.Root["on"];

    private static YamlMappingNode Analyze => CodeQl.Jobs.Single().Job;

    [Fact]
    public void Runs_on_pushes_to_main_pull_requests_and_weekly()
    {
        var push = (YamlSequenceNode)((YamlMappingNode)On["push"])["branches"];
        Assert.Equal(["main"], push.Children.Cast<YamlScalarNode>().Select(b => b.Value));
        Assert.True(On.Children.ContainsKey(new YamlScalarNode("pull_request")));
        var cron = Workflow.Scalar((YamlMappingNode)Assert.Single(((YamlSequenceNode)On["schedule"]).Children), "cron")!;
        Assert.Matches(WeeklyCron(), cron);
    }

    [Fact]
    public void Analyses_csharp_from_a_traced_build()
    {
        var init = Step("github/codeql-action/init@");
        var with = (YamlMappingNode)init["with"];
        Assert.Equal("csharp", Workflow.Scalar(with, "languages"));
        Assert.Equal("manual", Workflow.Scalar(with, "build-mode"));

        var steps = Workflow.Steps(Analyze).ToList();
        var builds = steps.Select((s, i) => (Run: Workflow.Scalar(s, "run"), Index: i)).Where(s => s.Run?.StartsWith("dotnet build", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(builds);
        Assert.All(builds, b => Assert.InRange(b.Index, steps.IndexOf(init) + 1, steps.IndexOf(Step("github/codeql-action/analyze@")) - 1));
    }

    [Fact]
    public void The_traced_build_compiles_every_project_that_ships()
    {
        var built = Workflow.Runs(Analyze)
            .Select(r => BuiltProject().Match(r))
            .Where(m => m.Success)
            .Select(m => RepoPaths.Combine([.. m.Groups[1].Value.Split('/'), $"{Path.GetFileName(m.Groups[1].Value)}.csproj"]))
            .ToList();
        var compiled = built.SelectMany(Closure).ToHashSet();
        var shipped = Solution.Projects().Where(p => p.StartsWith(RepoPaths.Combine("src"), StringComparison.Ordinal)).Select(Path.GetFullPath).ToList();
        Assert.Equal(5, shipped.Count);
        Assert.All(shipped, p => Assert.Contains(p, compiled));
    }

    private static YamlMappingNode Step(string usesPrefix) =>
        Workflow.Steps(Analyze).Single(s => Workflow.Scalar(s, "uses")?.StartsWith(usesPrefix, StringComparison.Ordinal) == true);

    // A project and every project it references, directly or not.
    private static IEnumerable<string> Closure(string project)
    {
        var full = Path.GetFullPath(project);
        yield return full;
        var references = XDocument.Load(full).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, r.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))));
        foreach (var reference in references.SelectMany(Closure))
        {
            yield return reference;
        }
    }

    // minute hour * * day-of-week: once a week.
    [GeneratedRegex(@"^\d{1,2} \d{1,2} \* \* [0-6]$")]
    private static partial Regex WeeklyCron();

    [GeneratedRegex(@"^dotnet build (src/[\w.]+)\b")]
    private static partial Regex BuiltProject();
}
