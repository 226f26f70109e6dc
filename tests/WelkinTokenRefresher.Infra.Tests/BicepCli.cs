using System.Reflection;
using System.Runtime.InteropServices;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// Finds the Bicep CLI: the NuGet package restored for this platform (linux-x64, osx-x64, osx-arm64, win-x64), else
/// a <c>bicep</c> on PATH, else the one <c>az bicep install</c> puts in ~/.azure/bin. None found is one clear error.
/// </summary>
internal static class BicepCli
{
    public static string Locate() =>
        Locate(PackagedCli(), Environment.GetEnvironmentVariable("PATH"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), OperatingSystem.IsWindows());

    /// <summary>The first existing candidate, in order: <paramref name="packaged"/>, each PATH entry, ~/.azure/bin.</summary>
    internal static string Locate(string? packaged, string? path, string? home, bool windows)
    {
        var executable = windows ? "bicep.exe" : "bicep";
        var candidates = new List<string>();
        if (packaged is not null)
        {
            candidates.Add(packaged);
        }

        candidates.AddRange((path ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(directory => Path.Combine(directory, executable)));
        if (!string.IsNullOrEmpty(home))
        {
            candidates.Add(Path.Combine(home, ".azure", "bin", executable));
        }

        return candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(NotFoundMessage());
    }

    internal static string NotFoundMessage() =>
        $"The infrastructure tests need the Bicep CLI and found none: no Azure.Bicep.CommandLine package for {RuntimeInformation.RuntimeIdentifier} " +
        "(restore provides it on linux-x64, osx-x64, osx-arm64 and win-x64), no `bicep` on PATH and none in ~/.azure/bin. " +
        "Install it with `az bicep install` (into ~/.azure/bin) or from https://aka.ms/bicep-install, then run the tests again.";

    /// <summary>The CLI of the package restored for this build, when the build machine's platform is this one.</summary>
    private static string? PackagedCli()
    {
        var metadata = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        if (!metadata.TryGetValue("BicepPackagePath", out var packagePath) || string.IsNullOrEmpty(packagePath)
            || !metadata.TryGetValue("BicepPackageRid", out var rid) || rid != RuntimeInformation.RuntimeIdentifier)
        {
            return null;
        }

        var cli = Path.Combine(packagePath, "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
        if (!File.Exists(cli))
        {
            return null;
        }

        // NuGet extracts files without the execute bit on some machines.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(cli);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(cli, mode | UnixFileMode.UserExecute);
            }
        }

        return cli;
    }
}
