using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Cli.Sandbox;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Commands;

/// <summary><c>welkin-token refresh [--force] [--json] [--sandbox]</c>: one refresh cycle with the core's guards.</summary>
internal static class RefreshCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var common = new CommonOptions();
        var force = new Option<bool>("--force") { Description = "Refresh even if the token is not due (refused while it is younger than Refresh:MinForceInterval)." };
        var sandbox = new Option<bool>("--sandbox") { Description = "Start the local sandbox in this process and run a full cycle against it: fetch, store, read back, call Welkin." };
        var command = new Command("refresh", "Fetch a new Welkin token and store it in Key Vault when it is due (or with --force). Exit codes: 0 the vault holds a valid token, 2 usage or configuration error, 3 Welkin rejected the credentials, 4 rate limited or blocked, 5 Welkin unavailable or its answer invalid, 6 Key Vault error.")
        {
            force,
            sandbox,
        };
        common.AddTo(command, welkin: true);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = new ReportWriter(stdout, stderr, parseResult.GetValue(common.Json));
            return parseResult.GetValue(sandbox)
                ? await SandboxCycle.RunAsync(writer, parseResult.GetValue(force), cancellationToken)
                : await RunAsync(common.Read(parseResult), parseResult.GetValue(force), writer, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(CliSettings settings, bool force, ReportWriter writer, CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string?>>? extraConfiguration = null, Action<IServiceCollection>? configure = null)
    {
        await using var services = CliServices.Build(settings, extraConfiguration, configure);
        var check = new OptionsCheck(services).Require<WelkinOptions>().Require<KeyVaultOptions>().Require<RefreshOptions>();
        if (check.Problems.Count > 0)
        {
            writer.ConfigurationError(check.Problems);
            return ExitCodes.UsageOrConfiguration;
        }

        var outcome = await services.GetRequiredService<ITokenRefresher>().RefreshAsync(RefreshTrigger.CommandLine, force, cancellationToken);
        writer.Write(RefreshReport.From(outcome));
        return ExitCodes.From(outcome);
    }
}
