using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.Cli.Sandbox;

/// <summary>
/// Prints the sandbox settings as shell exports, except the sandbox's Welkin secrets: they go only into an owner-only
/// file which the printed lines source, so it never lands in a terminal log.
/// </summary>
internal static class SandboxSettingsFile
{
    public static async Task WriteAsync(WelkinSandbox sandbox, TextWriter stdout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetDirectoryName(sandbox.CertificatePemPath)!, "sandbox.env");
        var lines = sandbox.EnvironmentSettings.Select(setting => $"export {setting.Key}='{setting.Value}'");
        await File.WriteAllLinesAsync(path, lines, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await stdout.WriteLineAsync("# Point the Functions app (local.settings.json Values), the CLI and consumers at the sandbox:");
        // Every client's secret: Welkin__Secret and Welkin__Clients__{name}__Secret.
        foreach (var setting in sandbox.EnvironmentSettings.Where(setting => !setting.Key.EndsWith("__Secret", StringComparison.Ordinal)))
        {
            await stdout.WriteLineAsync($"export {setting.Key}='{setting.Value}'");
        }

        await stdout.WriteLineAsync($"# All of the above plus the Welkin secrets, in one owner-only file:");
        await stdout.WriteLineAsync($"source '{path}'");
    }
}
