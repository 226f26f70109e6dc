using Microsoft.Extensions.Configuration;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Cli.Output;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>Resolves <c>--client</c>/<c>--all</c> against the configured clients, and applies the command-line overrides to the chosen one.</summary>
internal static class ClientSelection
{
    /// <summary>
    /// The configuration with <paramref name="overrides"/> applied as the chosen client's own settings, or the problem to
    /// report with exit code 2: an unknown client (with the configured names), or overrides with <c>--all</c>, which would
    /// not say whose settings they are.
    /// </summary>
    /// <param name="client">One client's name, or null for every client.</param>
    public static IConfiguration? Apply(IConfiguration configuration, string? client, CliSettings overrides, out ErrorReport? problem)
    {
        problem = null;
        if (client is null)
        {
            if (overrides.Any)
            {
                problem = new ErrorReport(ErrorReports.Usage, "--vault-uri, --secret-name and --welkin-base-url set one client's settings and cannot be combined with --all: use --client NAME.");
                return null;
            }

            return configuration;
        }

        // Checked before the overrides are applied: a client's own key would otherwise make a mistyped name a client.
        var names = WelkinClientsOptions.Read(configuration).Names;
        if (!names.Contains(client, StringComparer.Ordinal))
        {
            problem = ErrorReport.UnknownClient(client, names, "--client", "--client NAME or --all");
            return null;
        }

        return overrides.Any
            ? new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides.AsConfiguration(client)).Build()
            : configuration;
    }
}
