using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Functions.Composition;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>
/// One instance of the Functions app: its own service provider from <see cref="FunctionsAppServiceCollectionExtensions.AddRefresherFunctionsApp"/>
/// (so its own in-process single flight, rate guard and logs), talking to the sandbox Welkin emulator over loopback and to
/// a vault shared with the other instances. A new instance is a restart: nothing in memory survives.
/// </summary>
public sealed class AppInstance : IDisposable
{
    public const string SecretName = "welkin-api-token";

    private readonly ServiceProvider _provider;

    public AppInstance(
        WelkinSandbox sandbox,
        SecretClient vault,
        TimeProvider time,
        WelkinRequestLog requests,
        string? storage = null,
        Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Welkin:BaseUrl"] = sandbox.WelkinBaseUrl.AbsoluteUri,
            ["Welkin:TokenPath"] = sandbox.TokenPath,
            ["Welkin:ApiClient"] = sandbox.ApiClient,
            ["Welkin:Secret"] = sandbox.Secret,
            ["KeyVault:VaultUri"] = "https://reliability.vault.azure.net/",
            ["KeyVault:SecretName"] = SecretName,
            ["AzureWebJobsStorage"] = storage,
        };
        configure?.Invoke(settings);
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var collection = new ServiceCollection();
        collection.AddFakeLogging();
        collection.AddRefresherFunctionsApp(Configuration);
        collection.Replace(ServiceDescriptor.Singleton(time));
        // Retries without waiting: the clock is the test's, and real backoff would only slow the run.
        collection.PostConfigureAll<WelkinOptions>(o => o.RetryBaseDelay = TimeSpan.Zero);
        collection.AddHttpClient(WelkinTokenRefresherServiceCollectionExtensions.HttpClientName(WelkinClientSettings.DefaultName))
            .ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(time, requests));
        collection.UseSecretClient(vault);
        services?.Invoke(collection);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public IConfiguration Configuration { get; }

    public IServiceProvider Services => _provider;

    public ITokenRefresher Refresher => _provider.GetRequiredService<ITokenRefresher>();

    public ITokenRefresherRegistry Registry => _provider.GetRequiredService<ITokenRefresherRegistry>();

    public FakeLogCollector Logs => _provider.GetFakeLogCollector();

    /// <summary>
    /// Invokes <c>RefreshOnDemand</c> as the host would, with a request built from the arguments: a body of
    /// <paramref name="bodyLength"/> bytes, sent with that Content-Length or, when <paramref name="chunked"/>, without one.
    /// </summary>
    public async Task<HttpAnswer> PostRefreshAsync(string query = "", long? bodyLength = null, string method = "POST", bool chunked = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        if (bodyLength is { } length)
        {
            context.Request.Body = new MemoryStream(new byte[length]);
            if (chunked)
            {
                context.Request.Headers.TransferEncoding = "chunked";
            }
            else
            {
                context.Request.ContentLength = length;
            }
        }

        var result = await new RefreshOnDemand(_provider.GetRequiredService<ITokenRefresherRegistry>()).Run(context.Request, CancellationToken.None);
        var content = Assert.IsType<ContentResult>(result);
        return new HttpAnswer(content.StatusCode ?? 200, content.Content ?? "", context.Response.Headers.RetryAfter.ToString());
    }

    public void Dispose() => _provider.Dispose();
}
