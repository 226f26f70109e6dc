using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// Every configured client's <see cref="ClientConfiguration"/>, checked once: its own options (each problem naming the key
/// in force for it) and the rules between clients (valid names, one secret per client). A client's problems are its own:
/// they stop that client only.
/// </summary>
public sealed partial class ConfiguredClients
{
    private readonly Lazy<IReadOnlyDictionary<string, ClientConfiguration>> _clients;

    internal ConfiguredClients(WelkinClientsOptions clients, IOptionsMonitor<WelkinOptions> welkin, IOptionsMonitor<TokenVaultOptions> vaults)
    {
        Names = clients.Names;
        _clients = new(() => Check(clients, welkin, vaults));
    }

    /// <summary>The configured client names, <c>default</c> first when it exists.</summary>
    public IReadOnlyList<string> Names { get; }

    public ClientConfiguration this[string client] => _clients.Value[client];

    public IEnumerable<ClientConfiguration> All => Names.Select(name => this[name]);

    private static Dictionary<string, ClientConfiguration> Check(WelkinClientsOptions clients, IOptionsMonitor<WelkinOptions> welkin, IOptionsMonitor<TokenVaultOptions> vaults)
    {
        var checkedClients = clients.Clients.Select(keys =>
        {
            var vaultProblems = new List<string>();
            if (keys.IsDefault && clients.HasReservedSection)
            {
                vaultProblems.Add(Problem($"{WelkinClientSettings.ClientsSectionName}:{WelkinClientSettings.DefaultName}",
                    "is not allowed: the client named 'default' is the Welkin section itself; give this client another name"));
            }
            else if (!keys.IsDefault && !NamePattern().IsMatch(keys.Client))
            {
                vaultProblems.Add(Problem(keys.Section, $"is not a valid client name: use 1-40 lower-case letters, digits and hyphens, such as 'live' or 'staging-eu', but it is '{keys.Client}'"));
            }

            // A name that is not valid leaves nothing else worth checking on the vault's side (its secret name derives from it).
            var secretName = vaultProblems.Count == 0 ? Read(vaults, keys.Client, vaultProblems)?.SecretName ?? "" : "";
            // Validated here rather than on every read of the options: a status needs the ceiling of a client whose
            // credentials are absent, and only a valid client's Welkin services are ever built.
            var welkinProblems = new List<string>();
            var welkinOptions = Read(welkin, keys.Client, welkinProblems);
            if (welkinOptions is not null && WelkinOptionsValidator.Instance.Validate(keys.Client, welkinOptions) is { Failed: true } result)
            {
                welkinProblems.AddRange(result.Failures);
            }

            return (Keys: keys, SecretName: secretName, VaultProblems: vaultProblems, WelkinProblems: welkinProblems, Welkin: welkinOptions);
        }).ToList();

        // A secret two clients claim would carry either client's token: every client sharing it stops, not only one of them.
        foreach (var sharing in checkedClients.Where(c => c.SecretName.Length > 0).GroupBy(c => c.SecretName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            foreach (var client in sharing)
            {
                var others = string.Join(", ", sharing.Where(c => c.Keys != client.Keys).Select(c => $"'{c.Keys.Client}'"));
                client.VaultProblems.Add(Problem(client.Keys.SecretName, $"'{client.SecretName}' is also the secret of client {others}: give each client a secret of its own"));
            }
        }

        return checkedClients.ToDictionary(
            c => c.Keys.Client,
            c => new ClientConfiguration(c.Keys, c.SecretName, c.VaultProblems, c.WelkinProblems, c.Welkin),
            StringComparer.Ordinal);
    }

    /// <summary>The client's options, or null with their problems added: validation failures, or a value the binder could not convert.</summary>
    private static TOptions? Read<TOptions>(IOptionsMonitor<TOptions> monitor, string client, List<string> problems)
        where TOptions : class
    {
        try
        {
            return monitor.Get(client);
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures);
            return null;
        }
        catch (InvalidOperationException e)
        {
            // The binder could not convert a value: QuietBinding's message names the key, never the value.
            problems.Add(e.Message);
            return null;
        }
    }

    private static string Problem(string key, string problem) => ValidationErrors.Format(key, problem);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();
}
