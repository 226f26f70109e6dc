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
    /// <summary>appsettings.json in the working directory, then environment variables, then <paramref name="extraConfiguration"/>.</summary>
    public static IConfiguration ReadConfiguration(IEnumerable<KeyValuePair<string, string?>>? extraConfiguration = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(extraConfiguration ?? [])
            .Build();

    public static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .SetMinimumLevel(LogLevel.Warning)
            // The command prints the outcome itself; the engine's outcome log would say it twice.
            .AddFilter("WelkinTokenRefresher.Core.Refresh.TokenRefresher", LogLevel.None)
            // stdout carries the result; every diagnostic goes to stderr.
            .AddSimpleConsole(console => console.SingleLine = true)
            .Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddWelkinTokenRefresher(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
