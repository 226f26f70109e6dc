using System.CommandLine;

namespace WelkinTokenRefresher.Cli.Commands;

internal static class WelkinTokenCommand
{
    public static RootCommand Create(TextWriter stdout, TextWriter stderr) =>
        new("welkin-token: keep a Welkin API token fresh in Azure Key Vault, outside Azure Functions too.")
        {
            RefreshCommand.Create(stdout, stderr),
            StatusCommand.Create(stdout, stderr),
            SandboxCommand.Create(stdout, stderr),
        };

    /// <summary>Parses and runs; a usage error exits 2, as configuration errors do.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var parseResult = Create(stdout, stderr).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"welkin-token: {error.Message}");
            }

            await stderr.WriteLineAsync("Run 'welkin-token --help' for usage.");
            return ExitCodes.UsageOrConfiguration;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }
}
