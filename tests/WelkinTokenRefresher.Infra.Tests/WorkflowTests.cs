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

        var deploySection = Docs.Section("docs/deploy.md", "# Deploy");
        Assert.Contains($"`repo:<owner>/<repo>:{subject}`", deploySection, StringComparison.Ordinal);
        Assert.Contains("azd pipeline config", deploySection, StringComparison.Ordinal);
        if (environment is null)
        {
            Assert.DoesNotContain("environment:production", deploySection, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_deploy_job_provisions_without_any_welkin_credential()
    {
        // A credential in CI would be written back over the vault's on every push, undoing a rotation (README.md,
        // "Write or rotate a Welkin credential"). Credentials are written by a person, once; CI provisions with none.
        Assert.DoesNotContain(Job("deploy").AllNodes.OfType<YamlScalarNode>(), s => s.Value?.Contains("secrets.", StringComparison.Ordinal) == true);
        // Nor does any step set the variables azd maps to the credential parameters (main.parameters.json).
        Assert.All(CredentialVariables(), variable =>
            Assert.DoesNotContain(Workflow.AllNodes.OfType<YamlScalarNode>(), s => s.Value?.Contains(variable, StringComparison.Ordinal) == true));

        var provision = Assert.Single(Steps(Job("deploy")), s => Scalar(s, "run")?.StartsWith("azd up", StringComparison.Ordinal) == true);
        Assert.Equal("azd up --no-prompt", Scalar(provision, "run"));
        Assert.False(provision.Children.ContainsKey(new YamlScalarNode("env")));
    }

    private static List<string> CredentialVariables()
    {
        using var parameters = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("infra", "main.parameters.json")));
        var variables = parameters.RootElement.GetProperty("parameters").EnumerateObject()
            .Where(p => p.Name is "welkinApiClient" or "welkinSecret")
            .Select(p => p.Value.GetProperty("value").GetString()!.TrimStart('$', '{').Split('=')[0])
            .ToList();
        Assert.Equal(["WELKIN_API_CLIENT", "WELKIN_SECRET"], variables.Order(StringComparer.Ordinal));
        return variables;
    }

    [Fact]
    public void Without_credentials_azd_passes_empty_values_which_the_template_takes_as_leave_alone()
    {
        // main.parameters.json maps the credentials with an empty default, and the template's parameters default to empty:
        // azd neither prompts (--no-prompt would fail) nor writes anything (CredentialTests).
        using var parameters = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("infra", "main.parameters.json")));
        Assert.All(parameters.RootElement.GetProperty("parameters").EnumerateObject().Where(p => p.Name is "welkinApiClient" or "welkinSecret"),
            p => Assert.EndsWith("=}", p.Value.GetProperty("value").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Build_job_runs_the_ci_script_on_the_node_version_the_readme_names()
    {
        var build = Job("build-test");
        var node = Assert.Single(Steps(build), s => Scalar(s, "uses")?.StartsWith("actions/setup-node@", StringComparison.Ordinal) == true);
        Assert.Equal(NodeVersions.ReadmeMajor.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar((YamlMappingNode)node["with"], "node-version"));
        Assert.Contains(Steps(build), s => Scalar(s, "run") == "bash .ci/run");
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(RepoPaths.Combine(".github", "workflows", "ci.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
