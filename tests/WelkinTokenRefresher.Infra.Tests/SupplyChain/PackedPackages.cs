namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>
/// The packages this repository ships, as packed: from the folder WELKIN_PACKAGES names (.ci/run packs the Client, the
/// tool's pointer, linux-x64 and any packages there; the workflow adds every platform's), or else packed here once per
/// test run (the Client, the pointer and the any package: a native package needs its platform's Native AOT toolchain).
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public const string Variable = "WELKIN_PACKAGES";

    private readonly string? _owned;

    public PackedPackages()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given))
        {
            Folder = given;
            return;
        }

        _owned = Folder = Directory.CreateTempSubdirectory("welkin-packages-").FullName;
        Pack("src/WelkinTokenRefresher.Client");
        Pack("src/WelkinTokenRefresher.Cli");
        Pack("src/WelkinTokenRefresher.Cli", "-r", "any");
    }

    public string Folder { get; }

    /// <summary>Whether the folder came from WELKIN_PACKAGES (CI), which must then hold at least one native package.</summary>
    public bool FromCi => _owned is null;

    public IReadOnlyList<string> Packages(string idPrefix) =>
        Directory.EnumerateFiles(Folder, $"{idPrefix}*.nupkg").Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        if (_owned is not null)
        {
            Directory.Delete(_owned, recursive: true);
        }
    }

    private void Pack(string project, params string[] arguments)
    {
        var pack = ProcessRunner.Run("dotnet", ["pack", project, "-c", "Release", "-o", Folder, "--disable-build-servers", "-nologo", .. arguments], timeout: TimeSpan.FromMinutes(10));
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack {project} {string.Join(' ', arguments)} failed:\n{pack.StdOut}{pack.StdErr}");
        }
    }
}
