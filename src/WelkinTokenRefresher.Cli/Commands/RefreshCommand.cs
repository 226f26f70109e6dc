using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Cli.Sandbox;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Commands;

/// <summary><c>welkin-token refresh [--client NAME | --all] [--force] [--json] [--verbose] [--sandbox]</c>: one refresh cycle with the core's guards.</summary>
internal static class RefreshCommand
{
    /// <param name="startedAt">When the command was started: a forced refresh finding a token issued after it joins that refresh.</param>
    public static Command Create(TextWriter stdout, TextWriter stderr, DateTimeOffset? startedAt, CompositionOverrides overrides)
    {
        var common = new CommonOptions();
        var clients = new ClientOptions();
        var force = new Option<bool>("--force") { Description = "Refresh even if the token is not due (refused while it is younger than Refresh:MinForceInterval, unless another process refreshed it after this one started)." };
        var sandbox = new Option<bool>("--sandbox") { Description = "Start the local sandbox in this process and run a full cycle against it: fetch, store, read back, call Welkin." };
        var command = new Command("refresh", "Fetch a new Welkin token and store it in Key Vault when it is due (or with --force). Concurrent runs on this machine share one Welkin request (a lock file per secret in $TMPDIR/welkin-token). Exit codes: 0 the vault holds a valid token, 2 usage or configuration error, 3 Welkin rejected the credentials, 4 rate limited or blocked, 5 Welkin unavailable or its answer invalid, 6 Key Vault error, 70 internal error; with --all the most severe of the clients' (70, 2, 3, 6, 5, 4, 0).")
        {
            force,
            sandbox,
        };
        common.AddTo(command, welkin: true);
        clients.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = new ReportWriter(stdout, stderr, parseResult.GetValue(common.Json));
            return parseResult.GetValue(sandbox)
                ? await SandboxCycle.RunAsync(writer, parseResult.GetValue(force), cancellationToken)
                : await RunAsync(common.Read(parseResult), clients.Read(parseResult), parseResult.GetValue(force), writer, overrides, startedAt, cancellationToken);
        });
        return command;
    }

    /// <param name="client">One client's name, or null for every client.</param>
    /// <param name="requestedAt">When the command was started, if earlier than this call.</param>
    public static async Task<int> RunAsync(CliSettings settings, string? client, bool force, ReportWriter writer, CompositionOverrides overrides,
        DateTimeOffset? requestedAt, CancellationToken cancellationToken)
    {
        if (CommandConfiguration.Read(settings, client, writer, overrides) is not { } configuration)
        {
            return ExitCodes.UsageOrConfiguration;
        }

        await using var services = CliServices.Build(configuration, settings.Verbose, overrides.Services);
        // The refresh rules are the app's, not a client's: without them no client can be refreshed.
        var problems = new OptionsCheck(services).Require<RefreshOptions>().Problems;
        if (problems.Count > 0)
        {
            writer.ConfigurationError(problems);
            return ExitCodes.UsageOrConfiguration;
        }

        var registry = services.GetRequiredService<ITokenRefresherRegistry>();
        if (client is not null)
        {
            registry.TryGet(client, out var refresher);
            var outcome = await refresher!.RefreshAsync(RefreshTrigger.CommandLine, force, cancellationToken, requestedAt);
            writer.Write(RefreshReport.From(outcome));
            return ExitCodes.From(outcome);
        }

        var outcomes = await registry.RefreshAllAsync(RefreshTrigger.CommandLine, force, cancellationToken, requestedAt);
        writer.Write(new AllClientsRefreshReport([.. outcomes.Select(RefreshReport.From)]));
        return ExitCodes.Combine(outcomes.Select(ExitCodes.From));
    }
}
