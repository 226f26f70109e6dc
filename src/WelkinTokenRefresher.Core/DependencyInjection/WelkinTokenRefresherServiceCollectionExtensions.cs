using System.Net;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Telemetry;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.DependencyInjection;

public static class WelkinTokenRefresherServiceCollectionExtensions
{
    public const string ResiliencePipelineName = "welkin-token";

    /// <summary>
    /// Registers the refresh engine: options bound from <paramref name="configuration"/> and validated at start, the Welkin
    /// typed client with retries, timeouts and the rate guard, and the Key Vault <see cref="SecretClient"/> reached with
    /// <see cref="DefaultAzureCredential"/> (a user-assigned identity is chosen with AZURE_CLIENT_ID). When the app's own
    /// storage is configured (<c>AzureWebJobsStorage</c>, as the Functions host reads it), a blob lease makes the refresh
    /// single-flight across instances and shares the token request limit between them.
    /// </summary>
    public static IServiceCollection AddWelkinTokenRefresher(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WelkinOptions>().Bind(configuration.GetSection(WelkinOptions.SectionName)).ValidateOnStart();
        services.AddOptions<KeyVaultOptions>().Bind(configuration.GetSection(KeyVaultOptions.SectionName)).ValidateOnStart();
        services.AddOptions<RefreshOptions>().Bind(configuration.GetSection(RefreshOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WelkinOptions>, WelkinOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RefreshOptions>, RefreshOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RefreshMetrics>();

        services.TryAddSingleton<WelkinRateGuard>();
        services.TryAddSingleton<WelkinTokenClientResolver>();
        services.TryAddTransient<WelkinRateGuardHandler>();
        // The resilience pipeline owns timeouts, so HttpClient's own 100 s timeout is switched off.
        // Handlers run in the order added: the rate guard sits inside the retries, so every attempt takes a permit.
        var welkinClient = services.AddHttpClient<IWelkinTokenClient, WelkinTokenClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        welkinClient.AddResilienceHandler(ResiliencePipelineName, ConfigureWelkinResilience);
        // Right inside the retries and the per-attempt timeout, so an answer that breaks or drips counts as a failed attempt.
        services.TryAddTransient<WelkinAnswerHandler>();
        welkinClient.AddHttpMessageHandler<WelkinAnswerHandler>();
        welkinClient.AddHttpMessageHandler<WelkinRateGuardHandler>();
        // Innermost: inside a lease, each attempt also spends the budget shared by all instances.
        services.TryAddSingleton<TokenRequestBudget>();
        services.TryAddTransient<TokenRequestBudgetHandler>();
        welkinClient.AddHttpMessageHandler<TokenRequestBudgetHandler>();

        var hostStorage = HostStorageSettings.Read(configuration);
        services.TryAddSingleton<IRefreshLeaseStore>(provider => hostStorage.IsConfigured
            ? ActivatorUtilities.CreateInstance<BlobRefreshLeaseStore>(provider, hostStorage)
            : ActivatorUtilities.CreateInstance<NoStorageLeaseStore>(provider));
        services.TryAddSingleton<CrossInstanceRefreshGate>();

        services.AddAzureClients(clients =>
        {
            clients.AddClient<SecretClient, SecretClientOptions>((clientOptions, credential, provider) =>
            {
                var keyVault = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
                clientOptions.DisableChallengeResourceVerification = keyVault.DisableChallengeResourceVerification;
                // A refresh runs inside a short function invocation: fail within seconds rather than the SDK's 100 s default.
                clientOptions.Retry.MaxRetries = 2;
                clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
                clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                return new SecretClient(keyVault.VaultUri!, credential, clientOptions);
            });
            clients.UseCredential(_ => new DefaultAzureCredential());
        });

        services.TryAddSingleton<ITokenVault, KeyVaultTokenVault>();
        services.TryAddSingleton<ITokenRefresher, TokenRefresher>();
        return services;
    }

    private static void ConfigureWelkinResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var welkin = context.ServiceProvider.GetRequiredService<IOptions<WelkinOptions>>().Value;
        var maxDelay = TimeSpan.FromSeconds(10);
        pipeline
            .AddTimeout(welkin.Timeout * 3 + maxDelay * 2)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = welkin.RetryBaseDelay,
                MaxDelay = maxDelay,
                // A 503's Retry-After could hold the refresh for minutes; the next tick retries anyway.
                ShouldRetryAfterHeader = false,
                // 429 is not retried: hammering a rate-limited token endpoint extends the block.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => response.StatusCode == HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500,
                    _ => false,
                }),
            })
            .AddTimeout(welkin.Timeout);
    }
}
