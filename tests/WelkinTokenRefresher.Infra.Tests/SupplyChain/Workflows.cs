using YamlDotNet.RepresentationModel;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>The GitHub Actions workflows in .github/workflows, each as parsed YAML and as its lines (YAML drops comments).</summary>
internal static class Workflows
{
    public static IReadOnlyList<Workflow> All { get; } = Directory
        .EnumerateFiles(RepoPaths.Combine(".github", "workflows"))
        .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(Workflow.Load)
        .ToList();

    public static Workflow Named(string fileName) => All.Single(w => w.FileName == fileName);
}

internal sealed record Workflow(string FileName, YamlMappingNode Root, IReadOnlyList<string> Lines)
{
    public static Workflow Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return new Workflow(Path.GetFileName(path), (YamlMappingNode)stream.Documents[0].RootNode, File.ReadAllLines(path));
    }

    public IEnumerable<(string Name, YamlMappingNode Job)> Jobs =>
        ((YamlMappingNode)Root["jobs"]).Children.Select(j => (((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value));

    public static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) =>
        job.Children.TryGetValue(new YamlScalarNode("steps"), out var steps) ? ((YamlSequenceNode)steps).Children.Cast<YamlMappingNode>() : [];

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>Every <c>uses:</c> value in the file: steps' actions and jobs' reusable workflows.</summary>
    public IEnumerable<string> Uses =>
        Root.AllNodes.OfType<YamlMappingNode>().Select(node => Scalar(node, "uses")).OfType<string>();

    /// <summary>The shell commands of a job's <c>run:</c> steps, in order.</summary>
    public static IEnumerable<string> Runs(YamlMappingNode job) => Steps(job).Select(s => Scalar(s, "run")).OfType<string>();
}
