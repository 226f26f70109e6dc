namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>The folders of the repository that hold an npm lockfile (package-lock.json), relative to its root.</summary>
internal static class NpmLockfiles
{
    public static IReadOnlyList<string> Folders { get; } = Directory
        .EnumerateFiles(RepoPaths.Root, "package-lock.json", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Select(f => Path.GetRelativePath(RepoPaths.Root, Path.GetDirectoryName(f)!).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();
}
