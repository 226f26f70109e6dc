namespace WelkinTokenRefresher.ExampleTests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The folder holding WelkinTokenRefresher.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WelkinTokenRefresher.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No WelkinTokenRefresher.sln above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
