using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using WelkinTokenRefresher.Core.DependencyInjection;

namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>
/// The CLI's composition: the same core and configuration keys as the Functions app, read from appsettings.json in the
/// working directory, then environment variables, then command-line overrides. No generic host: start-up time matters.
/// </summary>
internal static class CliServices
{
    public const string SettingsFile = "appsettings.json";

    /// <summary>
    /// Log categories whose lines say again, at length, what the one diagnostic line of a failure already says: the
    /// resilience pipeline's events (Polly), the HTTP client factory's and the Azure SDK's, and the core's own warnings
    /// that restate an outcome (the rate guard's refusal, Welkin's 429, the shared budget, a wait for another process).
    /// Quiet unless <c>--verbose</c> or a <c>Logging:LogLevel:{category}</c> setting asks for them.
    /// </summary>
    public static readonly IReadOnlyList<string> QuietCategories =
    [
        "Polly",
        "Microsoft.Extensions.Http",
        "System.Net.Http",
        "Azure",
        "WelkinTokenRefresher.Core.Refresh.TokenRefresher",
        "WelkinTokenRefresher.Core.Welkin.WelkinRateGuardHandler",
        "WelkinTokenRefresher.Core.Coordination.CrossInstanceRefreshGate",
    ];

    /// <summary>Where concurrent runs on this machine take their lock, one file per secret: <c>$TMPDIR/welkin-token</c> (<c>/tmp/welkin-token</c>).</summary>
    public static string LockDirectory => Path.Combine(Path.GetTempPath(), "welkin-token");

    /// <summary>
    /// appsettings.json in the working directory, then environment variables, then <paramref name="extraSettings"/>;
    /// or null and the <paramref name="problem"/> when appsettings.json cannot be read.
    /// </summary>
    public static IConfiguration? ReadConfiguration(IEnumerable<KeyValuePair<string, string?>>? extraSettings, out string? problem)
    {
        var path = Path.Combine(Directory.GetCurrentDirectory(), SettingsFile);
        problem = null;
        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(path, optional: true)
                .AddEnvironmentVariables()
                .AddInMemoryCollection(extraSettings ?? [])
                .Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            problem = DescribeFileProblem(path, e);
            return null;
        }
    }

    public static ServiceProvider Build(IConfiguration configuration, bool verbose, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            // Defaults first, configuration after: a Logging:LogLevel setting for a category wins over them.
            logging.SetMinimumLevel(LogLevel.Warning);
            if (!verbose)
            {
                foreach (var category in QuietCategories)
                {
                    logging.AddFilter(category, LogLevel.None);
                }
            }

            logging.AddConfiguration(configuration.GetSection("Logging"));
            if (verbose)
            {
                // Asked for on this command line: wins over Logging:LogLevel:Default, not over a category's own setting.
                logging.AddFilter((string?)null, LogLevel.Debug);
            }

            // stdout carries the result; every diagnostic goes to stderr.
            logging.AddSimpleConsole(console => console.SingleLine = true)
                .Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        services.AddWelkinTokenRefresher(configuration);
        services.AddLocalRefreshLocks(configuration, LockDirectory);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Which file, which line and what to do; never the parser's message, which quotes the file's text (a secret may be in it).</summary>
    private static string DescribeFileProblem(string path, Exception e)
    {
        var json = FindInner<JsonException>(e);
        if (json is not null)
        {
            var line = json.LineNumber is { } number ? $" at line {number + 1}" : "";
            return $"{path} is not valid JSON{line}: fix it or remove it (settings can also come from environment variables).";
        }

        return FindInner<FormatException>(e) is not null
            ? $"{path} cannot be read as settings (a duplicate key, or not a JSON object at the top): fix it or remove it."
            : $"{path} cannot be read ({(FindInner<UnauthorizedAccessException>(e) is not null ? "permission denied" : e.GetType().Name)}): fix its permissions or remove it.";
    }

    private static T? FindInner<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
