using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Functions.Composition;

namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

/// <summary>
/// The Functions app as its own registration builds it (<see cref="FunctionsAppServiceCollectionExtensions.AddRefresherFunctionsApp"/>),
/// configured with the sandbox's settings, with real HttpClient, SecretClient and DefaultAzureCredential. Only the clock,
/// trust in the sandbox CA, and retry delays (so a fault costs milliseconds, not seconds) differ from production.
/// </summary>
internal sealed class FunctionsApp : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public FunctionsApp(InProcessSandbox environment, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var sandbox = environment.Sandbox;
        var settings = sandbox.EnvironmentSettings
            .Where(setting => setting.Key.Contains("__", StringComparison.Ordinal))
            .ToDictionary(setting => setting.Key.Replace("__", ":", StringComparison.Ordinal), setting => (string?)setting.Value);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddRefresherFunctionsApp(configuration);
        services.AddSingleton<TimeProvider>(environment.Time);
        services.PostConfigureAll<WelkinOptions>(welkin => welkin.RetryBaseDelay = TimeSpan.Zero);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.Transport = new HttpClientTransport(sandbox.CreateTrustingHandler());
            options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        }));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public IServiceProvider Services => _services;

    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    /// <summary>A function class created the way the worker creates it: from the app's container.</summary>
    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public static HttpRequest Request(string method, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("localhost");
        context.Request.QueryString = query is null ? QueryString.Empty : new QueryString(query);
        return context.Request;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
