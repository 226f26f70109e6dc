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
    /// Registers the refresh engine: every configured Welkin API client (<see cref="WelkinClientsOptions"/>) with its options
    /// bound and checked (<see cref="ConfiguredClients"/>), its Welkin client with retries, timeouts and the rate guard, and
    /// its token vault reached with <see cref="DefaultAzureCredential"/> (a user-assigned identity is chosen with
    /// AZURE_CLIENT_ID). When the app's own storage is configured (<c>AzureWebJobsStorage</c>, as the Functions host reads
    /// it), a blob lease makes each client's refresh single-flight across instances and shares its token request limit.
    /// </summary>
    /// <remarks>
    /// Every client, <c>default</c> included, is registered by one path: its own refresher, rate guard, shared budget,
    /// lease, Welkin client and vault, as services keyed by its name; <see cref="ITokenRefresherRegistry"/> finds them. The
    /// unkeyed <see cref="ITokenRefresher"/> and <see cref="ITokenVault"/> forward to the <c>default</c> client's, when it exists.
    /// At host start only one rule is checked (<see cref="WelkinClientsOptions"/>): that at least one client can be refreshed.
    /// </remarks>
    public static IServiceCollection AddWelkinTokenRefresher(this IServiceCollection services, IConfiguration configuration)
    {
        var clients = WelkinClientsOptions.Read(configuration);
        services.AddOptions<WelkinClientsOptions>().Configure(o =>
        {
            o.Clients = clients.Clients;
            o.HasReservedSection = clients.HasReservedSection;
        }).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WelkinClientsOptions>, WelkinClientsOptionsValidator>());
        services.TryAddSingleton(provider => new ConfiguredClients(
            clients, provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>(), provider.GetRequiredService<IOptionsMonitor<TokenVaultOptions>>()));

        services.AddOptions<KeyVaultOptions>().BindQuietly(configuration.GetSection(KeyVaultOptions.SectionName), (section, o) => section.Bind(o));
        services.AddOptions<RefreshOptions>().BindQuietly(configuration.GetSection(RefreshOptions.SectionName), (section, o) => section.Bind(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenVaultOptions>, TokenVaultOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RefreshOptions>, RefreshOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RefreshMetrics>();
        services.TryAddTransient<WelkinAttemptCounter>();
        services.TryAddTransient<WelkinAnswerHandler>();

        var hostStorage = HostStorageSettings.Read(configuration);
        services.TryAddSingleton<IRefreshLeaseStore>(provider => hostStorage.IsConfigured
            ? ActivatorUtilities.CreateInstance<BlobRefreshLeaseStore>(provider, hostStorage)
            : ActivatorUtilities.CreateInstance<NoStorageLeaseStore>(provider));

        services.AddAzureClients(azure =>
        {
            foreach (var client in clients.Clients)
            {
                azure.AddClient<SecretClient, SecretClientOptions>((clientOptions, credential, provider) =>
                {
                    clientOptions.DisableChallengeResourceVerification = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value.DisableChallengeResourceVerification;
                    // A refresh runs inside a short function invocation: fail within seconds rather than the SDK's 100 s default.
                    clientOptions.Retry.MaxRetries = KeyVaultTokenVault.Retries;
                    clientOptions.Retry.NetworkTimeout = KeyVaultTokenVault.AttemptTimeout;
                    clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                    return new SecretClient(VaultOptionsOf(provider, client.Client).VaultUri!, credential, clientOptions);
                }).WithName(client.Client);
            }

            azure.UseCredential(_ => new DefaultAzureCredential());
        });

        foreach (var client in clients.Clients)
        {
            AddClient(services, configuration, client);
        }

        if (clients.Names.Contains(WelkinClientSettings.DefaultName))
        {
            services.TryAddSingleton(provider => provider.GetRequiredKeyedService<ITokenRefresher>(WelkinClientSettings.DefaultName));
            services.TryAddSingleton(provider => provider.GetRequiredKeyedService<ITokenVault>(WelkinClientSettings.DefaultName));
        }

        services.TryAddSingleton<ITokenRefresherRegistry, TokenRefresherRegistry>();
        return services;
    }

    /// <summary>
    /// Without the app's own storage (<c>AzureWebJobsStorage</c>), refreshes in every process on this machine share one lock
    /// file per secret in <paramref name="directory"/> (<see cref="FileRefreshLeaseStore"/>), so concurrent runs, such as cron
    /// jobs or containers that mount one directory, make one Welkin request between them. With storage configured the blob
    /// lease, which serves every machine, stays. Call it with <see cref="AddWelkinTokenRefresher"/>, before or after.
    /// </summary>
    public static IServiceCollection AddLocalRefreshLocks(this IServiceCollection services, IConfiguration configuration, string directory)
    {
        if (!HostStorageSettings.Read(configuration).IsConfigured)
        {
            services.Replace(ServiceDescriptor.Singleton<IRefreshLeaseStore>(provider => ActivatorUtilities.CreateInstance<FileRefreshLeaseStore>(provider, directory)));
        }

        return services;
    }

    /// <summary>The name of a client's Welkin <see cref="HttpClient"/>.</summary>
    public static string HttpClientName(string client) => $"{nameof(IWelkinTokenClient)}:{client}";

    /// <summary>
    /// One client: its options (the default client's from <c>Welkin</c> and <c>KeyVault</c>; a named client's from its own
    /// section over <c>Welkin</c>, credentials excepted), and its own rate guard, shared budget, Welkin client, vault, lease
    /// and single flight, as services keyed by its name.
    /// </summary>
    private static void AddClient(IServiceCollection services, IConfiguration configuration, ClientKeys client)
    {
        var name = client.Client;
        var own = configuration.GetSection(client.Section);
        var welkin = services.AddOptions<WelkinOptions>(name).BindQuietly(configuration.GetSection(WelkinOptions.SectionName), (section, o) => section.Bind(o));
        var vault = services.AddOptions<TokenVaultOptions>(name).BindQuietly(configuration.GetSection(KeyVaultOptions.SectionName), (section, o) => section.Bind(o));
        if (!client.IsDefault)
        {
            // A named client's credentials are its own: inherited ones would post the default client's secret to its host.
            welkin.Configure(o => (o.ApiClient, o.Secret) = ("", ""))
                .BindQuietly(own, (section, o) => section.Bind(o));
            vault.Configure(o => o.SecretName = WelkinClientSettings.DefaultSecretName(name))
                .BindQuietly(own, (section, o) => section.Bind(o));
        }

        welkin.Configure(o => o.Keys = client);
        vault.Configure(o => o.Keys = client);

        services.AddKeyedSingleton(name, (provider, _) => new WelkinRateGuard(Options.Create(WelkinOptionsOf(provider, name)), provider.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton<TokenRequestBudget>(name);
        // The resilience pipeline owns timeouts, so HttpClient's own 100 s timeout is switched off.
        var http = services.AddHttpClient(HttpClientName(name), client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's own request lines carry the URL, whose path holds Tenant and ApiClient on api-clients (where a
            // pasted secret would land): they are replaced by one line that names the client and the status only.
            .RemoveAllLoggers()
            .AddLogger(provider => ActivatorUtilities.CreateInstance<WelkinRequestLogger>(provider, name));
        http.AddResilienceHandler(ResiliencePipelineName, (pipeline, context) => ConfigureWelkinResilience(pipeline, WelkinOptionsOf(context.ServiceProvider, name)));
        // Handlers run in the order added. Right inside the retries and the per-attempt timeout, the attempt counter (for
        // messages) and the answer reader, so an answer that breaks or drips counts as a failed attempt; then the rate
        // guard, so every attempt takes a permit; innermost, inside a lease, each attempt also spends the shared budget.
        http.AddHttpMessageHandler<WelkinAttemptCounter>();
        http.AddHttpMessageHandler<WelkinAnswerHandler>();
        http.AddHttpMessageHandler(provider => ActivatorUtilities.CreateInstance<WelkinRateGuardHandler>(provider, provider.GetRequiredKeyedService<WelkinRateGuard>(name)));
        http.AddHttpMessageHandler(provider => ActivatorUtilities.CreateInstance<TokenRequestBudgetHandler>(provider, provider.GetRequiredKeyedService<TokenRequestBudget>(name), client));
        services.AddKeyedTransient<IWelkinTokenClient>(name, (provider, _) => ActivatorUtilities.CreateInstance<WelkinTokenClient>(
            provider,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(name)),
            Options.Create(WelkinOptionsOf(provider, name))));

        services.AddKeyedSingleton<ITokenVault>(name, (provider, _) => ActivatorUtilities.CreateInstance<KeyVaultTokenVault>(
            provider,
            provider.GetRequiredService<IAzureClientFactory<SecretClient>>().CreateClient(name),
            Options.Create(VaultOptionsOf(provider, name))));
        services.AddKeyedSingleton(name, (provider, _) => ActivatorUtilities.CreateInstance<CrossInstanceRefreshGate>(
            provider,
            provider.GetRequiredKeyedService<ITokenVault>(name),
            provider.GetRequiredKeyedService<TokenRequestBudget>(name),
            Options.Create(WelkinOptionsOf(provider, name))));
        services.AddKeyedSingleton<ITokenRefresher>(name, (provider, _) => ActivatorUtilities.CreateInstance<TokenRefresher>(
            provider, new ClientServices(provider, provider.GetRequiredService<ConfiguredClients>()[name])));
    }

    private static WelkinOptions WelkinOptionsOf(IServiceProvider provider, string name) =>
        provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>().Get(name);

    private static TokenVaultOptions VaultOptionsOf(IServiceProvider provider, string name) =>
        provider.GetRequiredService<IOptionsMonitor<TokenVaultOptions>>().Get(name);

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
