using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli.Commands;
using WelkinTokenRefresher.Cli.Composition;
using WelkinTokenRefresher.Core.DependencyInjection;

namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

/// <summary>
/// Runs <c>welkin-token</c> in this process, through the same entry as the tool (parsing, commands, the top-level catch),
/// with settings and services the test adds: the way to put a fault where no stand-in over the wire can cause it. Locks
/// go to a directory of the run's own, removed afterwards.
/// </summary>
internal static class InProcessCli
{
    /// <summary>A valid configuration of the default client; nothing is reached unless the test's services say so.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Welkin:BaseUrl"] = "https://welkin.example",
        ["Welkin:ApiClient"] = "api-client-key",
        ["Welkin:Secret"] = "the-api-secret",
        ["KeyVault:VaultUri"] = "https://example.vault.azure.net/",
    };

    public static async Task<CliResult> RunAsync(IDictionary<string, string?> settings, Action<IServiceCollection> services, params string[] args)
    {
        var locks = Directory.CreateTempSubdirectory("welkin-token-e2e-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var overrides = new CompositionOverrides(settings, collection =>
            {
                collection.AddLocalRefreshLocks(new ConfigurationBuilder().Build(), locks);
                services(collection);
            });
            var exitCode = await WelkinTokenCommand.RunAsync(args, stdout, stderr, overrides: overrides);
            return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Directory.Delete(locks, recursive: true);
            Assert.False(Directory.Exists(locks));
        }
    }
}
