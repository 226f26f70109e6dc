using Microsoft.Extensions.Configuration;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>
/// The configuration a command runs with: the settings file and environment read, settings that have no effect warned
/// about, and <c>--client</c>/<c>--all</c> with the overrides applied; or null once the problem is reported (exit 2).
/// </summary>
internal static class CommandConfiguration
{
    /// <param name="client">One client's name, or null for every client.</param>
    public static IConfiguration? Read(CliSettings settings, string? client, ReportWriter writer, CompositionOverrides overrides)
    {
        if (CliServices.ReadConfiguration(overrides.Settings, out var fileProblem) is not { } read)
        {
            writer.ConfigurationError([fileProblem!]);
            return null;
        }

        writer.Warn(UnknownSettings.Find(read));
        var configuration = ClientSelection.Apply(read, client, settings, out var problem);
        if (configuration is null)
        {
            writer.Failed(problem!);
        }

        return configuration;
    }
}
