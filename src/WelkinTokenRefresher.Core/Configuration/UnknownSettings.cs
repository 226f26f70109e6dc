using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Telemetry;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// Finds the keys under <c>Welkin</c>, <c>KeyVault</c>, <c>Refresh</c> and <c>Welkin:Clients:{name}</c> that no option binds.
/// The known keys are the public settable properties of the options types bound there, so a new option is known the moment
/// it exists; there is no second list to forget.
/// </summary>
public static class UnknownSettings
{
    /// <summary>Logs a warning (event 1200) for each unknown key: what a host calls once at start.</summary>
    public static void Warn(IConfiguration configuration, ILogger logger)
    {
        foreach (var setting in Find(configuration))
        {
            Log.UnknownSetting(logger, setting.Key, setting.ToString());
        }
    }

    /// <summary>How far a typo may be from a known key to be suggested: edits (insert, delete, replace, swap two neighbours).</summary>
    public const int MaxSuggestionDistance = 2;

    private static readonly string ClientsKey = WelkinClientSettings.ClientsSectionName[(WelkinOptions.SectionName.Length + 1)..];

    private static readonly string[] WelkinKeys = [.. Settable(typeof(WelkinOptions)), ClientsKey];

    private static readonly string[] ClientSectionKeys = [.. Settable(typeof(WelkinOptions)), .. Settable(typeof(TokenVaultOptions))];

    private static readonly string[] KeyVaultKeys = [.. Settable(typeof(KeyVaultOptions)), .. Settable(typeof(TokenVaultOptions))];

    private static readonly string[] RefreshKeys = [.. Settable(typeof(RefreshOptions))];

    /// <summary>
    /// Every key an option binds, by its full path, a named client's under <c>Welkin:Clients:{name}</c>: the same lists the
    /// check uses, so what the docs are held to is what the app reads.
    /// </summary>
    public static IReadOnlyList<string> KnownKeys { get; } =
    [
        .. WelkinKeys.Where(key => key != ClientsKey).Select(key => $"{WelkinOptions.SectionName}:{key}"),
        .. ClientSectionKeys.Select(key => $"{WelkinClientSettings.ClientsSectionName}:{{name}}:{key}"),
        .. KeyVaultKeys.Select(key => $"{KeyVaultOptions.SectionName}:{key}"),
        .. RefreshKeys.Select(key => $"{RefreshOptions.SectionName}:{key}"),
    ];

    /// <summary>Every unknown key, in configuration order, each with a suggestion when exactly one known key is nearest and close enough.</summary>
    public static IReadOnlyList<UnknownSetting> Find(IConfiguration configuration)
    {
        var unknown = new List<UnknownSetting>();
        Check(configuration.GetSection(WelkinOptions.SectionName), WelkinKeys, unknown);
        foreach (var client in configuration.GetSection(WelkinClientSettings.ClientsSectionName).GetChildren())
        {
            Check(client, ClientSectionKeys, unknown);
        }

        Check(configuration.GetSection(KeyVaultOptions.SectionName), KeyVaultKeys, unknown);
        Check(configuration.GetSection(RefreshOptions.SectionName), RefreshKeys, unknown);
        return unknown;
    }

    private static void Check(IConfigurationSection section, string[] known, List<UnknownSetting> unknown)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                unknown.Add(new UnknownSetting(child.Path, Nearest(child.Key, known) is { } name ? $"{section.Path}:{name}" : null));
            }
        }
    }

    /// <summary>The known key nearest to <paramref name="key"/>, when it is close enough and no other is as near.</summary>
    internal static string? Nearest(string key, IEnumerable<string> known)
    {
        var nearest = known.Select(name => (Name: name, Distance: Distance(key, name)))
            .Where(candidate => candidate.Distance <= MaxSuggestionDistance)
            .GroupBy(candidate => candidate.Distance)
            .OrderBy(group => group.Key)
            .FirstOrDefault()?
            .ToList();
        return nearest is [var only] ? only.Name : null;
    }

    /// <summary>Optimal string alignment distance, ignoring case: a swap of two neighbouring letters (<c>ApiClinet</c>) is one edit.</summary>
    internal static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var d = new int[a.Length + 1][];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i] = new int[b.Length + 1];
            d[i][0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0][j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i][j] = Math.Min(Math.Min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i][j] = Math.Min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }

        return d[a.Length][b.Length];
    }

    /// <summary>The keys an options type binds: its public instance properties with a public setter.</summary>
    private static IEnumerable<string> Settable([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.SetMethod is { IsPublic: true })
            .Select(property => property.Name);
}
