using System.Diagnostics;
using System.Reflection;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.ExampleTests.Infrastructure;

/// <summary>
/// The C# consumer example (docs/examples/csharp, built with this project) run as a process with the environment the
/// sandbox prints, as a user would after `source sandbox.env`, less what a consumer never holds (the Welkin secret).
/// </summary>
internal static class ConsoleExample
{
    private static readonly string AppPath = typeof(ConsoleExample).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "CSharpConsumer").Value!;

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(WelkinSandbox sandbox, params string[] leaveOut)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add(AppPath);
        foreach (var name in ExampleProcess.InheritedAzureSettings)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in sandbox.EnvironmentSettings.Where(s => s.Key != "Welkin__Secret" && !leaveOut.Contains(s.Key)))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {AppPath}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
