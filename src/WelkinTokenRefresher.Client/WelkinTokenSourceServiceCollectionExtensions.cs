using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Registers the Welkin token source (<see cref="IWelkinTokenSource"/>, one cached instance per container), or named token
/// sources (keyed services, one per Welkin API client), each with its own options, cache and single flight.
/// </summary>
public static class WelkinTokenSourceServiceCollectionExtensions
{
    /// <summary>
    /// Registers a token source that reads <paramref name="secretName"/> from the vault at <paramref name="vaultUri"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="vaultUri">The vault that holds the token, e.g. <c>https://my-vault.vault.azure.net/</c>.</param>
    /// <param name="secretName">The secret the refresher writes; default <c>welkin-api-token</c>.</param>
    /// <param name="credential">The credential that reads the vault; <see langword="null"/> means <c>DefaultAzureCredential</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        Uri vaultUri,
        string secretName = WelkinTokenSourceOptions.DefaultSecretName,
        TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(secretName);
        return services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = vaultUri;
            options.SecretName = secretName;
            options.Credential = credential;
        });
    }

    /// <summary>
    /// Registers a token source bound to a configuration section (keys: <c>VaultUri</c>, <c>SecretName</c>,
    /// <c>RefreshBeforeExpiry</c>, <c>MinimumReadInterval</c>, <c>ErrorBackoff</c>, <c>MaxErrorBackoff</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("Welkin")</c>.</param>
    /// <param name="configure">Optional code configuration applied after binding, e.g. to set a credential or the SecretClient options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<WelkinTokenSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddWelkinTokenSource(options =>
        {
            configuration.Bind(options);
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Registers a token source configured in code. Options are validated when the source is first resolved
    /// (and at start-up in a host that runs options validation).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        Action<WelkinTokenSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<WelkinTokenSourceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<WelkinTokenSourceOptions>, WelkinTokenSourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWelkinTokenSource>(CreateTokenSource);
        return services;
    }

    /// <summary>
    /// Registers a named token source, a keyed service under <paramref name="name"/>, that reads
    /// <paramref name="secretName"/> from the vault at <paramref name="vaultUri"/>: inject it with
    /// <c>[FromKeyedServices("live")] IWelkinTokenSource</c>, or attach it with <c>AddWelkinBearerToken("live")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The source's name, e.g. the Welkin API client whose token it reads (<c>live</c>).</param>
    /// <param name="vaultUri">The vault that holds the token.</param>
    /// <param name="secretName">The secret the refresher writes for that client, e.g. <c>welkin-api-token-live</c>.</param>
    /// <param name="credential">The credential that reads the vault; <see langword="null"/> means <c>DefaultAzureCredential</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        string name,
        Uri vaultUri,
        string secretName,
        TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(secretName);
        return services.AddWelkinTokenSource(name, options =>
        {
            options.VaultUri = vaultUri;
            options.SecretName = secretName;
            options.Credential = credential;
        });
    }

    /// <summary>Registers a named token source (a keyed service under <paramref name="name"/>) bound to a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The source's name.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("Welkin:Live")</c>.</param>
    /// <param name="configure">Optional code configuration applied after binding.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        string name,
        IConfiguration configuration,
        Action<WelkinTokenSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddWelkinTokenSource(name, options =>
        {
            configuration.Bind(options);
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Registers a named token source configured in code: named options <paramref name="name"/>, validated at start in a
    /// host that runs options validation, and a keyed <see cref="IWelkinTokenSource"/> with its own cache and single flight.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The source's name (the service key).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        string name,
        Action<WelkinTokenSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<WelkinTokenSourceOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<WelkinTokenSourceOptions>, WelkinTokenSourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton<IWelkinTokenSource>(name, (provider, _) => CreateTokenSource(
            provider, Options.Create(provider.GetRequiredService<IOptionsMonitor<WelkinTokenSourceOptions>>().Get(name))));
        return services;
    }

    private static KeyVaultWelkinTokenSource CreateTokenSource(IServiceProvider services) =>
        CreateTokenSource(services, services.GetRequiredService<IOptions<WelkinTokenSourceOptions>>());

    private static KeyVaultWelkinTokenSource CreateTokenSource(IServiceProvider services, IOptions<WelkinTokenSourceOptions> options)
    {
        WelkinTokenSourceOptions settings = options.Value;

        var clientOptions = new SecretClientOptions();
        settings.ConfigureSecretClient?.Invoke(clientOptions);
        var client = new SecretClient(settings.VaultUri, settings.Credential ?? new DefaultAzureCredential(), clientOptions);

        ILogger<KeyVaultWelkinTokenSource> logger =
            services.GetService<ILogger<KeyVaultWelkinTokenSource>>() ?? NullLogger<KeyVaultWelkinTokenSource>.Instance;
        return new KeyVaultWelkinTokenSource(client, options, services.GetRequiredService<TimeProvider>(), logger);
    }
}
