using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// Every NuGet restore follows a committed lock file (packages.lock.json), and CI refuses a dependency graph that no
/// longer matches it; npm installs only from committed lockfiles (npm ci).
/// </summary>
public sealed partial class LockedRestoreTests
{
    [Fact]
    public void Every_project_has_its_lock_file_in_git()
    {
        // A project without a committed lock file would pass a locked restore: NuGet writes the missing file.
        var projects = Solution.Projects().Select(p => Path.GetDirectoryName(p)!)
            .Concat(Directory.EnumerateFiles(RepoPaths.Combine("tests", "package"), "*.cs").Select(s => Path.GetDirectoryName(s)!))
            .Distinct()
            .Select(d => Path.GetRelativePath(RepoPaths.Root, Path.Combine(d, "packages.lock.json")).Replace('\\', '/'))
            .ToList();
        Assert.True(projects.Count >= 17, $"Found only {projects.Count} projects.");
        var tracked = Git("ls-files", "--", "*packages.lock.json").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var missing = projects.Where(p => !tracked.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"Commit these lock files (bash .ci/update-lock-files writes them):\n{string.Join('\n', missing)}");
    }

    [Fact]
    public void In_ci_a_graph_that_differs_from_its_lock_file_fails_the_restore()
    {
        using var project = new ScratchProject();
        project.AddProbePackage("1.0.0");
        project.AddProbePackage("1.1.0");
        project.ReferenceProbe("1.0.0");
        Assert.Equal(0, project.Restore(asCi: false).ExitCode);
        var locked = File.ReadAllText(project.LockFile);
        Assert.Contains("\"resolved\": \"1.0.0\"", locked, StringComparison.Ordinal);

        project.ReferenceProbe("1.1.0");
        var ci = project.Restore(asCi: true);
        Assert.NotEqual(0, ci.ExitCode);
        Assert.Contains("NU1004", ci.StdOut, StringComparison.Ordinal);
        Assert.Equal(locked, File.ReadAllText(project.LockFile));

        // Outside CI the same change updates the lock file, which then shows up in the diff for review.
        Assert.Equal(0, project.Restore(asCi: false).ExitCode);
        Assert.Contains("\"resolved\": \"1.1.0\"", File.ReadAllText(project.LockFile), StringComparison.Ordinal);
    }

    [Fact]
    public void A_restore_for_a_runtime_the_project_does_not_list_leaves_the_committed_lock_file_alone()
    {
        // What `dotnet pack -r RID` does for each native welkin-token package (Directory.Build.targets).
        using var project = new ScratchProject();
        project.AddProbePackage("1.0.0");
        project.ReferenceProbe("1.0.0");
        Assert.Equal(0, project.Restore(asCi: false).ExitCode);
        var locked = File.ReadAllText(project.LockFile);

        var forRuntime = project.Restore(asCi: true, "-p:RuntimeIdentifier=linux-x64");
        Assert.True(forRuntime.ExitCode == 0, forRuntime.StdOut + forRuntime.StdErr);
        Assert.Equal(locked, File.ReadAllText(project.LockFile));
        Assert.True(File.Exists(Path.Combine(project.ProjectDirectory, "obj", "packages.linux-x64.lock.json")));
    }

    [Fact]
    public void Ci_restores_in_locked_mode_before_it_builds()
    {
        var ciRun = File.ReadAllLines(RepoPaths.Combine(".ci", "run"));
        var restore = Array.FindIndex(ciRun, l => l.StartsWith("dotnet restore WelkinTokenRefresher.sln", StringComparison.Ordinal));
        Assert.True(restore >= 0 && ciRun[restore].Contains("--locked-mode", StringComparison.Ordinal), ".ci/run restores the solution without --locked-mode.");
        Assert.True(Array.FindIndex(ciRun, l => l.StartsWith("dotnet build", StringComparison.Ordinal)) > restore);
    }

    [Fact]
    public void Every_workflow_job_that_builds_restores_in_locked_mode_first()
    {
        var jobs = Workflows.All.SelectMany(w => w.Jobs.Select(j => (w.FileName, j.Name, Runs: Workflow.Runs(j.Job).ToList())))
            .Where(j => j.Runs.Any(r => DotnetBuildCommand().IsMatch(r) || r.StartsWith("azd up", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(jobs);
        Assert.All(jobs, j =>
        {
            var firstLocked = j.Runs.FindIndex(r => r == "bash .ci/run" || (r.StartsWith("dotnet restore", StringComparison.Ordinal) && r.EndsWith("--locked-mode", StringComparison.Ordinal)));
            var firstBuild = j.Runs.FindIndex(r => DotnetBuildCommand().IsMatch(r) || r.StartsWith("azd up", StringComparison.Ordinal));
            Assert.True(firstLocked >= 0 && (firstLocked <= firstBuild || j.Runs[firstLocked] == "bash .ci/run"),
                $"{j.FileName}, job {j.Name}: restore with --locked-mode (or run .ci/run) before building.");
        });
    }

    [Fact]
    public void Every_npm_lockfile_is_committed_and_installed_with_npm_ci_only()
    {
        var folders = NpmLockfiles.Folders;
        Assert.Equal(["docs/examples/javascript", "tools/azurite"], folders);
        var tracked = Git("ls-files", "--", "*package-lock.json").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(folders.Select(f => $"{f}/package-lock.json"), tracked.Order(StringComparer.Ordinal));

        // npm install may rewrite the lockfile; npm ci installs exactly what it says or fails.
        var scripts = new[] { RepoPaths.Combine(".ci", "run") }
            .Concat(Directory.EnumerateFiles(RepoPaths.Combine(".github", "workflows")))
            .Concat(Directory.EnumerateFiles(RepoPaths.Combine("tests"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Where(f => !f.EndsWith(nameof(LockedRestoreTests) + ".cs", StringComparison.Ordinal))
            .ToList();
        var installs = scripts.Where(f => NpmInstall().IsMatch(File.ReadAllText(f))).ToList();
        Assert.True(installs.Count == 0, $"Use npm ci, not npm install:\n{string.Join('\n', installs)}");
        var ciRun = File.ReadAllText(RepoPaths.Combine(".ci", "run"));
        Assert.All(folders, f => Assert.Contains($"npm ci --prefix {f}", ciRun, StringComparison.Ordinal));
    }

    private static string Git(params string[] arguments)
    {
        var git = ProcessRunner.Run("git", arguments);
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {git.StdErr}");
        return git.StdOut;
    }

    [GeneratedRegex(@"^dotnet (build|pack|publish|test|run)\b")]
    private static partial Regex DotnetBuildCommand();

    [GeneratedRegex(@"npm (install|i|add)\b|""npm"".*""install""")]
    private static partial Regex NpmInstall();
}
