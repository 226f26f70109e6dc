namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// security/npm-audit.mjs (run by .ci/run, and so by the workflow) against an npm registry on loopback: a high or critical
/// advisory fails unless the suppressions file accepts it with a reason; an advisory service that does not answer is
/// reported as "not audited" (exit 3), never as a clean audit.
/// </summary>
public sealed class NpmAuditTests
{
    private const string Azurite = "tools/azurite";
    private const string Advisory = "https://github.com/advisories/GHSA-4hjh-wcwx-xvwj";

    [Fact]
    public void A_high_advisory_fails_the_audit_and_is_named()
    {
        using var registry = Registry(Advisories("axios", "high"));

        var audit = Audit(registry.BaseUrl, Azurite);

        Assert.True(audit.ExitCode == 1, audit.StdOut + audit.StdErr);
        Assert.Contains($"tools/azurite/package-lock.json: HIGH axios <99.0.0 {Advisory}", audit.StdOut, StringComparison.Ordinal);
        Assert.Contains("POST /-/npm/v1/security/advisories/bulk", registry.Requests);
    }

    [Fact]
    public void A_critical_advisory_fails_the_audit()
    {
        using var registry = Registry(Advisories("@azure/identity", "critical"));

        Assert.Equal(1, Audit(registry.BaseUrl, "docs/examples/javascript").ExitCode);
    }

    [Fact]
    public void An_accepted_advisory_passes_and_shows_the_reason()
    {
        using var registry = Registry(Advisories("axios", "high"));
        var suppressions = Path.GetTempFileName();
        try
        {
            File.WriteAllText(suppressions, $$"""
                {"suppressions": [{"advisory": "{{Advisory}}", "package": "axios", "lockfile": "tools/azurite/package-lock.json",
                  "reason": "Reached only through a code path the tests never take."}]}
                """);

            var audit = Audit(registry.BaseUrl, Azurite, "--suppressions", suppressions);

            Assert.True(audit.ExitCode == 0, audit.StdOut + audit.StdErr);
            Assert.Contains($"accepted high axios {Advisory} (Reached only through a code path the tests never take.)", audit.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(suppressions);
        }
    }

    [Fact]
    public void An_acceptance_for_another_lockfile_does_not_apply()
    {
        using var registry = Registry(Advisories("axios", "high"));
        var suppressions = Path.GetTempFileName();
        try
        {
            File.WriteAllText(suppressions, $$"""
                {"suppressions": [{"advisory": "{{Advisory}}", "package": "axios", "lockfile": "docs/examples/javascript/package-lock.json",
                  "reason": "Accepted for the example only, not for Azurite."}]}
                """);

            Assert.Equal(1, Audit(registry.BaseUrl, Azurite, "--suppressions", suppressions).ExitCode);
        }
        finally
        {
            File.Delete(suppressions);
        }
    }

    [Fact]
    public void Advisories_below_high_are_reported_but_do_not_gate()
    {
        using var registry = Registry(Advisories("axios", "moderate"));

        var audit = Audit(registry.BaseUrl, Azurite);

        Assert.True(audit.ExitCode == 0, audit.StdOut + audit.StdErr);
        Assert.Contains("tools/azurite/package-lock.json: audited (", audit.StdOut, StringComparison.Ordinal);
        Assert.Contains("moderate", audit.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_lockfile_audits_clean_against_a_service_without_advisories_with_the_repository_suppressions()
    {
        // Also proves security/npm-audit-suppressions.json is valid (an invalid file exits 2).
        using var registry = Registry("{}");

        var audit = Audit(registry.BaseUrl, [.. NpmLockfiles.Folders]);

        Assert.True(audit.ExitCode == 0, audit.StdOut + audit.StdErr);
        Assert.Contains($"npm audit: {NpmLockfiles.Folders.Count} lockfiles audited, no high or critical advisory stands.", audit.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_audit_request_is_not_audited_rather_than_clean()
    {
        // What this machine's registry mirror answers: 405, it serves packages but no advisories.
        using var registry = new LoopbackHttpServer(_ => (405, string.Empty));

        var audit = Audit(registry.BaseUrl, [.. NpmLockfiles.Folders]);

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("tools/azurite/package-lock.json: NOT AUDITED", audit.StdOut, StringComparison.Ordinal);
        Assert.Contains("this is not a clean audit", audit.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("no high or critical advisory stands", audit.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_advisory_service_is_not_audited_rather_than_clean()
    {
        var audit = Audit($"http://127.0.0.1:{LoopbackHttpServer.FreePort()}/", Azurite);

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("NOT AUDITED", audit.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_suppression_without_a_reason_is_refused()
    {
        var suppressions = Path.GetTempFileName();
        try
        {
            File.WriteAllText(suppressions, $$"""{"suppressions": [{"advisory": "{{Advisory}}", "package": "axios", "lockfile": "tools/azurite/package-lock.json", "reason": ""}]}""");

            var audit = Audit($"http://127.0.0.1:{LoopbackHttpServer.FreePort()}/", Azurite, "--suppressions", suppressions);

            Assert.Equal(2, audit.ExitCode);
            Assert.Contains("\"reason\" must say why", audit.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(suppressions);
        }
    }

    [Fact]
    public void Ci_audits_every_npm_lockfile_and_fails_only_on_advisories()
    {
        var ciRun = File.ReadAllText(RepoPaths.Combine(".ci", "run"));
        Assert.Contains($"node security/npm-audit.mjs {string.Join(' ', NpmLockfiles.Folders)}", ciRun, StringComparison.Ordinal);
        Assert.Contains(Workflow.Runs(Workflows.Named("ci.yml").Jobs.Single(j => j.Name == "build-test").Job), r => r == "bash .ci/run");
    }

    private static LoopbackHttpServer Registry(string bulkAdvisories) =>
        new(request => request is { Method: "POST", Path: "/-/npm/v1/security/advisories/bulk" } ? (200, bulkAdvisories) : (404, "{}"));

    // The npm registry's bulk advisory answer: advisories by package name.
    private static string Advisories(string package, string severity) => $$"""
        {"{{package}}": [{"id": 1, "url": "{{Advisory}}", "title": "Test advisory", "severity": "{{severity}}",
          "vulnerable_versions": "<99.0.0", "cwe": [], "cvss": {"score": 7.5, "vectorString": null} }] }
        """;

    private static ProcessResult Audit(string registry, params string[] arguments)
    {
        // A cache of its own: npm keeps the advisories it computed by package and advisory id across runs.
        var cache = Directory.CreateTempSubdirectory("welkin-npm-cache-").FullName;
        try
        {
            return ProcessRunner.Run(
                "node",
                [RepoPaths.Combine("security", "npm-audit.mjs"), .. arguments],
                environment: new Dictionary<string, string?>
                {
                    ["npm_config_registry"] = registry,
                    ["npm_config_cache"] = cache,
                    ["npm_config_update_notifier"] = "false",
                });
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
