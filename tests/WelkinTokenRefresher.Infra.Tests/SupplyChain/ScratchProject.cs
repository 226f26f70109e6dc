using System.IO.Compression;
using System.Text;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// A throwaway project in a temporary folder that builds with this repository's Directory.Build.props and .targets (so
/// with its lock-file and audit settings), restoring from a local feed of probe packages into a package folder of its
/// own: nothing reaches the network or the machine's package cache.
/// </summary>
internal sealed class ScratchProject : IDisposable
{
    public const string ProbeId = "Welkin.SupplyChainProbe";

    private readonly string _root = Directory.CreateTempSubdirectory("welkin-scratch-").FullName;

    /// <param name="auditSource">The service index URL NuGet audit reads advisories from; none means no audit source.</param>
    public ScratchProject(string? auditSource = null)
    {
        Directory.CreateDirectory(Feed);
        var audit = auditSource is null ? string.Empty : $"""<add key="audit" value="{auditSource}" allowInsecureConnections="true" />""";
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{Feed}" /></packageSources>
              <auditSources><clear />{audit}</auditSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), $"""<Project><Import Project="{RepoPaths.Combine("Directory.Build.props")}" /></Project>""");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), $"""<Project><Import Project="{RepoPaths.Combine("Directory.Build.targets")}" /></Project>""");
    }

    public string Feed => Path.Combine(_root, "feed");

    public string ProjectDirectory => Path.Combine(_root, "app");

    public string LockFile => Path.Combine(ProjectDirectory, "packages.lock.json");

    /// <summary>Puts a package of <see cref="ProbeId"/> at <paramref name="version"/> into the local feed.</summary>
    public void AddProbePackage(string version)
    {
        using var package = ZipFile.Open(Path.Combine(Feed, $"{ProbeId}.{version}.nupkg"), ZipArchiveMode.Create);
        using (var nuspec = new StreamWriter(package.CreateEntry($"{ProbeId}.nuspec").Open(), Encoding.UTF8))
        {
            nuspec.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{ProbeId}</id><version>{version}</version><authors>tests</authors><description>A probe.</description></metadata>
                </package>
                """);
        }

        package.CreateEntry("lib/netstandard2.0/_._");
    }

    /// <summary>Writes the project, referencing the probe package at <paramref name="version"/>.</summary>
    public void ReferenceProbe(string version)
    {
        Directory.CreateDirectory(ProjectDirectory);
        File.WriteAllText(Path.Combine(ProjectDirectory, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><PackageReference Include="{ProbeId}" Version="{version}" /></ItemGroup>
            </Project>
            """);
    }

    /// <summary>Runs <c>dotnet restore</c> on the project, as CI (CI=true) or as a developer's machine.</summary>
    public ProcessResult Restore(bool asCi, params string[] arguments) =>
        ProcessRunner.Run(
            "dotnet",
            ["restore", Path.Combine(ProjectDirectory, "app.csproj"), "--disable-build-servers", .. arguments],
            ProjectDirectory,
            new Dictionary<string, string?>
            {
                ["CI"] = asCi ? "true" : null,
                ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"),
                ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(_root, "http-cache"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            });

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
