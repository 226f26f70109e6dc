using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Core.Telemetry;

namespace WelkinTokenRefresher.Functions.Composition;

/// <summary>The Functions app's service registration, shared by Program.cs and the tests that check it.</summary>
public static class FunctionsAppServiceCollectionExtensions
{
    public static IServiceCollection AddRefresherFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWelkinTokenRefresher(configuration);
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<UnknownSettingsWarning>(provider, configuration));

        // Log scopes become attributes: the refresher's scope gives every line of a refresh its client.
        services.Configure<OpenTelemetry.Logs.OpenTelemetryLoggerOptions>(logs => logs.IncludeScopes = true);
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(RefreshMetrics.MeterName));

        // Without a connection string (local runs, tests) telemetry stays in the process.
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            var entraAuth = configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true;
            telemetry.UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
                // Local (key) auth is off on the Application Insights resource, so the app's identity signs in.
                if (entraAuth)
                {
                    exporter.Credential = new DefaultAzureCredential();
                }
            });
        }

        return services;
    }
}
