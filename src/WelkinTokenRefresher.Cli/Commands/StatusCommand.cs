using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Cli.Commands;

/// <summary><c>welkin-token status [--json]</c>: the current token's metadata; exit 0 while it has 5 minutes or more to live.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var common = new CommonOptions();
        var command = new Command("status", "Show the metadata of the token in Key Vault. Exit 0 while it has 5 minutes or more to live, 1 otherwise, 6 on a Key Vault error.");
        common.AddTo(command, welkin: false);
        command.SetAction(async (parseResult, cancellationToken) =>
            await RunAsync(common.Read(parseResult), new ReportWriter(stdout, stderr, parseResult.GetValue(common.Json)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliSettings settings, ReportWriter writer, CancellationToken cancellationToken)
    {
        await using var services = CliServices.Build(settings);
        // Status needs only the vault: the Welkin credentials may be absent here.
        var check = new OptionsCheck(services).Require<KeyVaultOptions>();
        if (check.Problems.Count > 0)
        {
            writer.ConfigurationError(check.Problems);
            return ExitCodes.UsageOrConfiguration;
        }

        var report = await services.GetRequiredService<ITokenRefresher>().GetStatusAsync(cancellationToken);
        writer.Write(report);
        return report.Category is not null ? ExitCodes.KeyVaultError : report.Healthy ? ExitCodes.Success : ExitCodes.Unhealthy;
    }
}
