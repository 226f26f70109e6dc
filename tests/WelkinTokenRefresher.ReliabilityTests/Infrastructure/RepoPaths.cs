namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The repository root: the first ancestor of the test binaries that holds the solution file.</summary>
    public static string Root { get; } = FindRoot();

    public static string Azurite => Path.Combine(Root, "tools", "azurite");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WelkinTokenRefresher.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No WelkinTokenRefresher.sln above {AppContext.BaseDirectory}.");
    }
}
