using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>
/// Three Welkin API clients, each behind a sandbox Welkin of its own (its own credentials, rate window and faults, as at
/// Welkin): <c>default</c> on the auth-token API (the <see cref="AppInstance"/>'s sandbox), <c>live</c> on the api-clients
/// API and <c>staging</c> on the auth-token API. Each client's token requests are recorded in a log of its own.
/// </summary>
public sealed class ThreeClients(WelkinSandbox live, WelkinSandbox staging, TimeProvider time, string secretPrefix)
{
    public static readonly string[] Names = ["default", "live", "staging"];

    public WelkinRequestLog LiveRequests { get; } = new();

    public WelkinRequestLog StagingRequests { get; } = new();

    public string SecretName(string client) => client == "default" ? secretPrefix : $"{secretPrefix}-{client}";

    public void Configure(Dictionary<string, string?> settings)
    {
        settings["KeyVault:SecretName"] = SecretName("default");
        settings["Welkin:Clients:live:Api"] = "api-clients";
        settings["Welkin:Clients:live:Tenant"] = live.Tenant;
        settings["Welkin:Clients:live:BaseUrl"] = live.WelkinBaseUrl.AbsoluteUri;
        settings["Welkin:Clients:live:ApiClient"] = live.ApiClient;
        settings["Welkin:Clients:live:Secret"] = live.Secret;
        settings["Welkin:Clients:live:SecretName"] = SecretName("live");
        settings["Welkin:Clients:staging:BaseUrl"] = staging.WelkinBaseUrl.AbsoluteUri;
        settings["Welkin:Clients:staging:TokenPath"] = staging.TokenPath;
        settings["Welkin:Clients:staging:ApiClient"] = staging.ApiClient;
        settings["Welkin:Clients:staging:Secret"] = staging.Secret;
        settings["Welkin:Clients:staging:SecretName"] = SecretName("staging");
    }

    public void Record(IServiceCollection services)
    {
        services.AddHttpClient(WelkinTokenRefresherServiceCollectionExtensions.HttpClientName("live"))
            .ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(time, LiveRequests));
        services.AddHttpClient(WelkinTokenRefresherServiceCollectionExtensions.HttpClientName("staging"))
            .ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(time, StagingRequests));
    }
}
