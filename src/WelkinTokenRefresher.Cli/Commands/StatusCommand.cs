using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Commands;

/// <summary><c>welkin-token status [--client NAME | --all] [--json] [--verbose]</c>: the current token's metadata; exit 0 while it has 5 minutes or more to live.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, CompositionOverrides overrides)
    {
        var common = new CommonOptions();
        var clients = new ClientOptions();
        var command = new Command("status", "Show the metadata of the token in Key Vault. Needs only the vault settings. Exit 0 while it has 5 minutes or more to live, 1 otherwise, 2 for a usage or configuration error, 6 on a Key Vault error, 70 for an internal error; with --all the most severe of the clients' (70, 2, 6, 1, 0).");
        common.AddTo(command, welkin: false);
        clients.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
            await RunAsync(common.Read(parseResult), clients.Read(parseResult), new ReportWriter(stdout, stderr, parseResult.GetValue(common.Json)), overrides, cancellationToken));
        return command;
    }

    /// <param name="client">One client's name, or null for every client.</param>
    public static async Task<int> RunAsync(CliSettings settings, string? client, ReportWriter writer, CompositionOverrides overrides, CancellationToken cancellationToken)
    {
        if (CommandConfiguration.Read(settings, client, writer, overrides) is not { } configuration)
        {
            return ExitCodes.UsageOrConfiguration;
        }

        await using var services = CliServices.Build(configuration, settings.Verbose, overrides.Services);
        var registry = services.GetRequiredService<ITokenRefresherRegistry>();
        // Status needs only the vault: the Welkin settings, credentials included, may be absent or invalid here.
        if (client is not null)
        {
            registry.TryGet(client, out var refresher);
            var report = await refresher!.GetStatusAsync(ClientUse.ReadVault, cancellationToken);
            writer.Write(report);
            return ExitCodes.From(report);
        }

        var reports = await registry.GetAllStatusAsync(ClientUse.ReadVault, cancellationToken);
        writer.Write(AllClientsStatusReport.From(reports));
        return ExitCodes.Combine(reports.Select(ExitCodes.From));
    }
}
