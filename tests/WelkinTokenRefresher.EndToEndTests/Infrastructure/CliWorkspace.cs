namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

/// <summary>
/// A temporary directory that is a <c>welkin-token</c> run's working directory (no appsettings.json is picked up unless a
/// test puts one there) and its TMPDIR, so the lock directory lives in it. On dispose it checks that the tool left
/// nothing but its lock files (and what the test put there), removes it, and checks that it is gone: the tests leave
/// nothing in the machine's temporary directory.
/// </summary>
internal sealed class CliWorkspace : IDisposable
{
    private readonly HashSet<string> _placed = new(StringComparer.Ordinal);

    private CliWorkspace(string path) => Path = path;

    public string Path { get; }

    /// <summary>Where the tool keeps its lock files: <c>$TMPDIR/welkin-token</c>.</summary>
    public string LockDirectory => System.IO.Path.Combine(Path, "welkin-token");

    public static CliWorkspace Create() => new(Directory.CreateTempSubdirectory("welkin-token-e2e-").FullName);

    /// <summary>Writes a file for the tool to find, such as appsettings.json.</summary>
    public void Put(string name, string content)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, name), content);
        _placed.Add(name);
    }

    /// <summary>
    /// The JIT runtime's debugger pipes and diagnostics socket, which it does not always remove at exit; the native tool
    /// has neither, so they are allowed only when the JIT build runs.
    /// </summary>
    private static bool IsJitRuntimeFile(string name) =>
        WelkinTokenCli.InstalledTool is null && (name.StartsWith("clr-debug-pipe-", StringComparison.Ordinal) || name.StartsWith("dotnet-diagnostic-", StringComparison.Ordinal));

    public void Dispose()
    {
        var left = Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OfType<string>()
            .Where(name => !_placed.Contains(name) && name != "welkin-token" && !IsJitRuntimeFile(name)).ToList();
        var lockFiles = Directory.Exists(LockDirectory)
            ? Directory.EnumerateFiles(LockDirectory).Select(System.IO.Path.GetFileName).OfType<string>()
                .Where(name => !name.EndsWith(".lock", StringComparison.Ordinal) && !name.EndsWith(".state", StringComparison.Ordinal)).ToList()
            : [];
        Directory.Delete(Path, recursive: true);
        Assert.False(Directory.Exists(Path), $"The workspace {Path} is still there.");
        Assert.True(left.Count == 0, $"welkin-token left {string.Join(", ", left)} in its temporary directory.");
        Assert.True(lockFiles.Count == 0, $"welkin-token left {string.Join(", ", lockFiles)} beside its lock files.");
    }
}
