using YamlDotNet.RepresentationModel;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// GITHUB_TOKEN is read-only for every workflow; a job that needs more names exactly that (and the workflow says why).
/// Checkouts keep no credentials in .git/config, where every later step (third-party code included) could read them.
/// </summary>
public sealed class WorkflowPermissionTests
{
    // Every write permission in the repository's workflows, and the job that needs it.
    private static readonly (string Workflow, string Job, string Scope)[] Widened =
    [
        ("ci.yml", "deploy", "id-token"),            // the OIDC token azd signs in to Azure with
        ("codeql.yml", "analyze", "security-events"), // uploading CodeQL's results to code scanning
    ];

    [Fact]
    public void Every_workflow_is_read_only_at_the_top()
    {
        Assert.All(Workflows.All, w =>
        {
            Assert.True(w.Root.Children.TryGetValue(new YamlScalarNode("permissions"), out var permissions),
                $"{w.FileName} sets no top-level permissions: GitHub then grants the repository's default, which may be write-all.");
            var scopes = Assert.IsType<YamlMappingNode>(permissions).Children;
            Assert.All(scopes, s => Assert.True(((YamlScalarNode)s.Value).Value is "read" or "none",
                $"{w.FileName} grants {((YamlScalarNode)s.Key).Value}: {((YamlScalarNode)s.Value).Value} to every job; widen it in the job that needs it."));
        });
    }

    [Fact]
    public void Only_the_jobs_that_need_it_may_write()
    {
        var writes = Workflows.All
            .SelectMany(w => w.Jobs.Select(j => (w.FileName, j.Name, j.Job)))
            .SelectMany(j => JobPermissions(j.Job).Where(p => p.Value == "write").Select(p => (j.FileName, j.Name, p.Scope)))
            .ToHashSet();
        Assert.Equal(Widened.ToHashSet(), writes);
    }

    [Fact]
    public void No_job_asks_for_all_permissions_at_once()
    {
        // write-all or read-all as a single word would hide what a job really needs.
        var blanket = Workflows.All
            .SelectMany(w => w.Jobs.Select(j => (w.FileName, j.Name, j.Job)))
            .Where(j => j.Job.Children.TryGetValue(new YamlScalarNode("permissions"), out var p) && p is YamlScalarNode)
            .Select(j => $"{j.FileName}: {j.Name}")
            .ToList();
        Assert.Empty(blanket);
    }

    [Fact]
    public void Every_checkout_leaves_no_credentials_behind()
    {
        var checkouts = Workflows.All
            .SelectMany(w => w.Jobs.SelectMany(j => Workflow.Steps(j.Job).Select(s => (w.FileName, j.Name, Step: s))))
            .Where(s => Workflow.Scalar(s.Step, "uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(checkouts);
        Assert.All(checkouts, c =>
        {
            var with = c.Step.Children.TryGetValue(new YamlScalarNode("with"), out var node) ? (YamlMappingNode)node : new YamlMappingNode();
            Assert.True(Workflow.Scalar(with, "persist-credentials") == "false", $"{c.FileName}, job {c.Name}: checkout without persist-credentials: false.");
        });
    }

    private static IEnumerable<(string Scope, string Value)> JobPermissions(YamlMappingNode job) =>
        job.Children.TryGetValue(new YamlScalarNode("permissions"), out var node) && node is YamlMappingNode map
            ? map.Children.Select(p => (((YamlScalarNode)p.Key).Value!, ((YamlScalarNode)p.Value).Value!))
            : [];
}
