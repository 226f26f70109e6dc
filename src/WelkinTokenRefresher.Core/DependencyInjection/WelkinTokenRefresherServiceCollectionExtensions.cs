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
    /// <remarks>
    /// Every configured Welkin API client (<see cref="WelkinClientsOptions"/>) gets its own refresher, rate guard, shared
    /// budget, lease and vault secret, as keyed services under its name; <see cref="ITokenRefresherRegistry"/> finds them.
    /// The default client's services are also the unkeyed ones.
    /// </remarks>
    public static IServiceCollection AddWelkinTokenRefresher(this IServiceCollection services, IConfiguration configuration)
    {
        var clients = WelkinClientsOptions.Read(configuration);
        services.AddOptions<WelkinClientsOptions>().Configure(o =>
        {
            o.Clients = clients.Clients;
            o.ReservedSections = clients.ReservedSections;
        }).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WelkinClientsOptions>, WelkinClientsOptionsValidator>());
        var welkinOptions = services.AddOptions<WelkinOptions>().BindQuietly(configuration.GetSection(WelkinOptions.SectionName), (section, o) => section.Bind(o));
        if (clients.Clients.Any(c => c.IsDefault))
        {
            welkinOptions.ValidateOnStart();
        }

        services.AddOptions<KeyVaultOptions>().BindQuietly(configuration.GetSection(KeyVaultOptions.SectionName), (section, o) => section.Bind(o)).ValidateOnStart();
        services.AddOptions<RefreshOptions>().BindQuietly(configuration.GetSection(RefreshOptions.SectionName), (section, o) => section.Bind(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WelkinOptions>, WelkinOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RefreshOptions>, RefreshOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RefreshMetrics>();

        AddDefaultClient(services);
        foreach (var client in clients.Clients.Where(c => !c.IsDefault))
        {
            AddNamedClient(services, configuration, client);
        }

        var hostStorage = HostStorageSettings.Read(configuration);
        services.TryAddSingleton<IRefreshLeaseStore>(provider => hostStorage.IsConfigured
            ? ActivatorUtilities.CreateInstance<BlobRefreshLeaseStore>(provider, hostStorage)
            : ActivatorUtilities.CreateInstance<NoStorageLeaseStore>(provider));

        services.AddAzureClients(azure =>
        {
            azure.AddClient<SecretClient, SecretClientOptions>((clientOptions, credential, provider) =>
            {
                var keyVault = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
                clientOptions.DisableChallengeResourceVerification = keyVault.DisableChallengeResourceVerification;
                // A refresh runs inside a short function invocation: fail within seconds rather than the SDK's 100 s default.
                clientOptions.Retry.MaxRetries = 2;
                clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
                clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                return new SecretClient(keyVault.VaultUri!, credential, clientOptions);
            });
            azure.UseCredential(_ => new DefaultAzureCredential());
        });

        services.TryAddSingleton<ITokenRefresherRegistry, TokenRefresherRegistry>();
        return services;
    }

    /// <summary>The name of a named client's Welkin <see cref="HttpClient"/> (the default client's is the typed client's).</summary>
    public static string HttpClientName(string client) => $"{nameof(IWelkinTokenClient)}:{client}";

    /// <summary>The default client: the unkeyed services, as a single-client app has always had them, also keyed as <c>default</c>.</summary>
    private static void AddDefaultClient(IServiceCollection services)
    {
        services.TryAddSingleton<WelkinRateGuard>();
        services.TryAddSingleton<WelkinTokenClientResolver>();
        services.TryAddTransient<WelkinRateGuardHandler>();
        // The resilience pipeline owns timeouts, so HttpClient's own 100 s timeout is switched off.
        // Handlers run in the order added: the rate guard sits inside the retries, so every attempt takes a permit.
        var welkinClient = services.AddHttpClient<IWelkinTokenClient, WelkinTokenClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        welkinClient.AddResilienceHandler(ResiliencePipelineName, (pipeline, context) =>
            ConfigureWelkinResilience(pipeline, context.ServiceProvider.GetRequiredService<IOptions<WelkinOptions>>().Value));
        // Right inside the retries and the per-attempt timeout, so an answer that breaks or drips counts as a failed attempt.
        services.TryAddTransient<WelkinAnswerHandler>();
        welkinClient.AddHttpMessageHandler<WelkinAnswerHandler>();
        welkinClient.AddHttpMessageHandler<WelkinRateGuardHandler>();
        // Innermost: inside a lease, each attempt also spends the budget shared by all instances.
        services.TryAddSingleton<TokenRequestBudget>();
        services.TryAddTransient<TokenRequestBudgetHandler>();
        welkinClient.AddHttpMessageHandler<TokenRequestBudgetHandler>();

        services.TryAddSingleton<CrossInstanceRefreshGate>();
        services.TryAddSingleton<ITokenVault, KeyVaultTokenVault>();
        services.TryAddSingleton<ITokenRefresher>(provider => ActivatorUtilities.CreateInstance<TokenRefresher>(provider, WelkinClientSettings.DefaultName));
        services.AddKeyedSingleton<ITokenRefresher>(WelkinClientSettings.DefaultName, (provider, _) => provider.GetRequiredService<ITokenRefresher>());
    }

    /// <summary>
    /// A named client: its options (the <c>Welkin</c> section, then its own section over it), and its own rate guard,
    /// shared budget, Welkin client, vault secret, lease and single flight, as services keyed by its name.
    /// </summary>
    private static void AddNamedClient(IServiceCollection services, IConfiguration configuration, WelkinClientSettings client)
    {
        var name = client.Name;
        services.AddOptions<WelkinOptions>(name)
            .BindQuietly(configuration.GetSection(WelkinOptions.SectionName), (section, o) => section.Bind(o))
            .BindQuietly(configuration.GetSection($"{WelkinClientSettings.ClientsSectionName}:{name}"), (section, o) => section.Bind(o))
            .Configure(o => o.ClientName = name)
            .ValidateOnStart();

        services.AddKeyedSingleton(name, (provider, _) => new WelkinRateGuard(Options.Create(WelkinOptionsOf(provider, name)), provider.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton<TokenRequestBudget>(name);
        var welkinClient = services.AddHttpClient(HttpClientName(name), http => http.Timeout = Timeout.InfiniteTimeSpan);
        welkinClient.AddResilienceHandler(ResiliencePipelineName, (pipeline, context) => ConfigureWelkinResilience(pipeline, WelkinOptionsOf(context.ServiceProvider, name)));
        welkinClient.AddHttpMessageHandler<WelkinAnswerHandler>();
        welkinClient.AddHttpMessageHandler(provider => ActivatorUtilities.CreateInstance<WelkinRateGuardHandler>(provider, provider.GetRequiredKeyedService<WelkinRateGuard>(name)));
        welkinClient.AddHttpMessageHandler(provider => ActivatorUtilities.CreateInstance<TokenRequestBudgetHandler>(provider, provider.GetRequiredKeyedService<TokenRequestBudget>(name)));
        services.AddKeyedTransient<IWelkinTokenClient>(name, (provider, _) => ActivatorUtilities.CreateInstance<WelkinTokenClient>(
            provider,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(name)),
            Options.Create(WelkinOptionsOf(provider, name))));

        services.AddKeyedSingleton<ITokenVault>(name, (provider, _) => ActivatorUtilities.CreateInstance<KeyVaultTokenVault>(
            provider, Options.Create(WelkinOptionsOf(provider, name)), client.SecretName));
        services.AddKeyedSingleton(name, (provider, _) => ActivatorUtilities.CreateInstance<CrossInstanceRefreshGate>(
            provider,
            provider.GetRequiredKeyedService<ITokenVault>(name),
            provider.GetRequiredKeyedService<TokenRequestBudget>(name),
            Options.Create(WelkinOptionsOf(provider, name))));
        services.AddKeyedSingleton<ITokenRefresher>(name, (provider, _) => ActivatorUtilities.CreateInstance<TokenRefresher>(
            provider,
            provider.GetRequiredKeyedService<ITokenVault>(name),
            new WelkinTokenClientResolver(provider, name),
            provider.GetRequiredKeyedService<CrossInstanceRefreshGate>(name),
            name));
    }

    private static WelkinOptions WelkinOptionsOf(IServiceProvider provider, string name) =>
        provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>().Get(name);

    private static void ConfigureWelkinResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, WelkinOptions welkin)
    {
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
