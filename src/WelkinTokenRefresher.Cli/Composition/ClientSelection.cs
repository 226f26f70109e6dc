using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>Resolves <c>--client</c>/<c>--all</c> against the configured clients, and checks the options of those chosen.</summary>
internal static class ClientSelection
{
    /// <summary>The chosen clients, or the problems to report (an unknown client, invalid options) with exit code 2.</summary>
    /// <param name="client">One client's name, or null for every client.</param>
    /// <param name="welkin">Whether the command calls Welkin, so the chosen clients' Welkin settings must be valid.</param>
    public static IReadOnlyList<string> Resolve(IServiceProvider services, string? client, bool welkin, out IReadOnlyList<string> problems)
    {
        var check = new OptionsCheck(services).Require<WelkinClientsOptions>();
        var names = check.Problems.Count == 0 ? services.GetRequiredService<ITokenRefresherRegistry>().ClientNames : [];
        IReadOnlyList<string> chosen = client is null ? names : names.Contains(client, StringComparer.Ordinal) ? [client] : [];
        if (check.Problems.Count == 0 && client is not null && chosen.Count == 0)
        {
            problems = [$"No Welkin API client named '{client}' is configured (--client); the configured clients are {string.Join(", ", names.Select(n => $"'{n}'"))}."];
            return [];
        }

        if (welkin)
        {
            var monitor = services.GetRequiredService<IOptionsMonitor<WelkinOptions>>();
            foreach (var name in chosen)
            {
                check.Require(() => monitor.Get(name == WelkinClientSettings.DefaultName ? Options.DefaultName : name));
            }
        }

        check.Require<KeyVaultOptions>();
        if (welkin)
        {
            check.Require<RefreshOptions>();
        }

        problems = check.Problems;
        return problems.Count == 0 ? chosen : [];
    }
}
