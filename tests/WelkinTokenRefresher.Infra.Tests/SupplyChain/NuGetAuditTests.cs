using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// NuGet audit (Directory.Build.props) against an advisory service on loopback that speaks NuGet's vulnerability
/// protocol: a known vulnerability of any severity, direct or transitive, fails the restore; an advisory service that
/// cannot be reached, or that serves no advisories (as here, offline), is a warning that says so, not a red build.
/// </summary>
public sealed partial class NuGetAuditTests
{
    private const string Updated = "2026-01-01T00:00:00Z";

    [Fact]
    public void A_package_with_a_known_vulnerability_fails_the_restore_at_every_severity()
    {
        using var advisories = new LoopbackHttpServer(request => request.Path switch
        {
            "/v3/index.json" => (200, ServiceIndex(request.BaseUrl)),
            "/vulnerabilities/index.json" => (200, $$"""
                [{"@name": "base", "@id": "{{request.BaseUrl}}vulnerabilities/base.json", "@updated": "{{Updated}}"},
                 {"@name": "update", "@id": "{{request.BaseUrl}}vulnerabilities/update.json", "@updated": "{{Updated}}"}]
                """),
            "/vulnerabilities/base.json" => (200, $$"""
                {"{{ScratchProject.ProbeId.ToLowerInvariant()}}": [
                  {"severity": 0, "url": "https://github.com/advisories/GHSA-2222-3333-4444", "versions": "[1.0.0, 1.0.1)"},
                  {"severity": 1, "url": "https://github.com/advisories/GHSA-3333-4444-5555", "versions": "[1.0.0, 1.0.1)"},
                  {"severity": 2, "url": "https://github.com/advisories/GHSA-4444-5555-6666", "versions": "[1.0.0, 1.0.1)"},
                  {"severity": 3, "url": "https://github.com/advisories/GHSA-5555-6666-7777", "versions": "[1.0.0, 1.0.1)"}
                ]}
                """),
            "/vulnerabilities/update.json" => (200, "{}"),
            _ => (404, "{}"),
        });
        using var project = Probe(advisories.BaseUrl + "v3/index.json");

        var restore = project.Restore(asCi: true);

        Assert.NotEqual(0, restore.ExitCode);
        Assert.All(new[] { "NU1901", "NU1902", "NU1903", "NU1904" }, code => Assert.Matches($"error {code}: .*{ScratchProject.ProbeId}", restore.StdOut));
        Assert.Contains("https://github.com/advisories/GHSA-4444-5555-6666", restore.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_advisory_service_is_a_warning_not_a_clean_audit_or_a_failure()
    {
        using var project = Probe($"http://127.0.0.1:{LoopbackHttpServer.FreePort()}/v3/index.json");

        var restore = project.Restore(asCi: true);

        Assert.True(restore.ExitCode == 0, restore.StdOut);
        Assert.Matches("warning NU1900: ", restore.StdOut);
        Assert.DoesNotMatch(": error ", restore.StdOut);
    }

    [Fact]
    public void An_advisory_service_without_advisories_says_nothing_was_audited()
    {
        // What the package mirror on this machine answers: a service index without the vulnerability resource.
        using var advisories = new LoopbackHttpServer(request => request.Path == "/v3/index.json" ? (200, """{"version": "3.0.0", "resources": []}""") : (404, "{}"));
        using var project = Probe(advisories.BaseUrl + "v3/index.json");

        var restore = project.Restore(asCi: true);

        Assert.True(restore.ExitCode == 0, restore.StdOut);
        Assert.Matches("warning NU1905: ", restore.StdOut);
    }

    [Fact]
    public void The_repository_audits_against_nuget_org_advisories()
    {
        var config = XDocument.Load(RepoPaths.Combine("nuget.config"));
        var auditSources = config.Root!.Element("auditSources")!.Elements("add").Select(e => e.Attribute("value")!.Value).ToList();
        Assert.Equal(["https://api.nuget.org/v3/index.json"], auditSources);
    }

    [Fact]
    public void Every_nuget_suppression_names_its_advisory_package_and_reason()
    {
        var suppressions = XDocument.Load(RepoPaths.Combine("security", "nuget-audit-suppressions.props"))
            .Descendants("NuGetAuditSuppress")
            .ToList();
        Assert.All(suppressions, s =>
        {
            Assert.Matches(AdvisoryUrl(), s.Attribute("Include")?.Value ?? string.Empty);
            Assert.False(string.IsNullOrWhiteSpace(s.Attribute("Package")?.Value), $"{s}: name the package and version.");
            Assert.True((s.Attribute("Reason")?.Value.Trim().Length ?? 0) >= 20, $"{s}: say why the advisory does not apply or cannot be fixed yet.");
        });
    }

    private static ScratchProject Probe(string auditSource)
    {
        var project = new ScratchProject(auditSource);
        project.AddProbePackage("1.0.0");
        project.ReferenceProbe("1.0.0");
        return project;
    }

    // NuGet's service index with only the resource audit reads (VulnerabilityInfo/6.7.0).
    private static string ServiceIndex(string baseUrl) =>
        $$"""{"version": "3.0.0", "resources": [{"@id": "{{baseUrl}}vulnerabilities/index.json", "@type": "VulnerabilityInfo/6.7.0"}]}""";

    [GeneratedRegex(@"^https://github\.com/advisories/GHSA(-[23456789cfghjmpqrvwx]{4}){3}$")]
    private static partial Regex AdvisoryUrl();
}
