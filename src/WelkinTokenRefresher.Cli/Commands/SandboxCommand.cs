using System.CommandLine;
using WelkinTokenRefresher.Cli.Sandbox;

namespace WelkinTokenRefresher.Cli.Commands;

/// <summary><c>welkin-token sandbox</c>: runs the local stand-ins until Ctrl+C and tells how to point other processes at them.</summary>
internal static class SandboxCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("sandbox", "Run local stand-ins of Welkin, Key Vault and the managed identity endpoint on loopback until Ctrl+C, and print the settings that point the Functions app, this CLI and consumers at them. Development only.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var sandbox = await SandboxSession.StartAsync(cancellationToken);
            await SandboxSettingsFile.WriteAsync(sandbox, stdout, cancellationToken);
            await stderr.WriteLineAsync("Sandbox running. Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync("Sandbox stopped.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
