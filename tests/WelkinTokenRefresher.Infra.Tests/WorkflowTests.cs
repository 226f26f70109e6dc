using YamlDotNet.RepresentationModel;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>The CI/CD workflow, parsed as YAML, against what azd and the README set up.</summary>
public sealed class WorkflowTests
{
    private static readonly YamlMappingNode Workflow = Load();

    private static YamlMappingNode Jobs => (YamlMappingNode)Workflow["jobs"];

    private static YamlMappingNode Job(string name) => (YamlMappingNode)Jobs[name];

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>();

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    [Fact]
    public void Deploy_job_signs_in_with_the_subject_the_readme_setup_creates()
    {
        // GitHub's OIDC subject is environment:<name> when the job names an environment, else the ref. azd pipeline config
        // creates credentials for the branch and pull-request subjects only, so the README must name whatever this is.
        var deploy = Job("deploy");
        Assert.Contains("--federated-credential-provider github", string.Join('\n', Steps(deploy).Select(s => Scalar(s, "run"))), StringComparison.Ordinal);
        var condition = Scalar(deploy, "if")!;
        Assert.Contains("github.ref == 'refs/heads/main'", condition, StringComparison.Ordinal);
        Assert.Contains("github.event_name == 'push'", condition, StringComparison.Ordinal);

        var environment = deploy.Children.TryGetValue(new YamlScalarNode("environment"), out var node) ? node : null;
        var subject = environment switch
        {
            null => "ref:refs/heads/main",
            YamlScalarNode name => $"environment:{name.Value}",
            YamlMappingNode map => $"environment:{Scalar(map, "name")}",
            _ => throw new InvalidOperationException("Unexpected environment node."),
        };

        var deploySection = Readme.Section("## Deploy");
        Assert.Contains($"`repo:<owner>/<repo>:{subject}`", deploySection, StringComparison.Ordinal);
        Assert.Contains("azd pipeline config", deploySection, StringComparison.Ordinal);
        if (environment is null)
        {
            Assert.DoesNotContain("environment:production", deploySection, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Secrets_reach_only_the_step_that_provisions()
    {
        // Job- or workflow-level env is visible to every step, third-party actions included.
        Assert.False(Workflow.Children.ContainsKey(new YamlScalarNode("env")) && ContainsSecret(Workflow["env"]), "The workflow's env holds a secret.");
        foreach (var (name, job) in Jobs.Children.Select(j => (((YamlScalarNode)j.Key).Value, (YamlMappingNode)j.Value)))
        {
            Assert.False(job.Children.TryGetValue(new YamlScalarNode("env"), out var env) && ContainsSecret(env), $"Job {name}'s env holds a secret.");
            foreach (var step in Steps(job).Where(ContainsSecret))
            {
                Assert.Null(Scalar(step, "uses"));
                Assert.Matches(@"^azd (up|provision)\b", Scalar(step, "run") ?? string.Empty);
                Assert.False(step.Children.ContainsKey(new YamlScalarNode("with")));
            }
        }

        var provision = Assert.Single(Steps(Job("deploy")), ContainsSecret);
        var stepEnv = (YamlMappingNode)provision["env"];
        Assert.Equal("${{ secrets.WELKIN_API_CLIENT }}", Scalar(stepEnv, "WELKIN_API_CLIENT"));
        Assert.Equal("${{ secrets.WELKIN_SECRET }}", Scalar(stepEnv, "WELKIN_SECRET"));
    }

    [Fact]
    public void Build_job_runs_the_ci_script_on_the_node_version_the_readme_names()
    {
        var build = Job("build-test");
        var node = Assert.Single(Steps(build), s => Scalar(s, "uses")?.StartsWith("actions/setup-node@", StringComparison.Ordinal) == true);
        Assert.Equal(NodeVersions.ReadmeMajor.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar((YamlMappingNode)node["with"], "node-version"));
        Assert.Contains(Steps(build), s => Scalar(s, "run") == "bash .ci/run");
    }

    private static bool ContainsSecret(YamlNode node) => node.AllNodes.OfType<YamlScalarNode>().Any(s => s.Value?.Contains("secrets.", StringComparison.Ordinal) == true);

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(RepoPaths.Combine(".github", "workflows", "ci.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
