using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Client.Telemetry;

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
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        Uri vaultUri,
        string secretName = WelkinTokenSourceOptions.DefaultSecretName,
        TokenCredential? credential = null)
    {
        Guard.NotNull(vaultUri);
        Guard.NotNull(secretName);
        return services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = vaultUri;
            options.SecretName = secretName;
            options.Credential = credential;
        });
    }

    /// <summary>
    /// Registers a token source bound to a configuration section (keys: <c>VaultUri</c>, <c>SecretName</c>,
    /// <c>DisableChallengeResourceVerification</c>, <c>RefreshBeforeExpiry</c>, <c>MinimumReadInterval</c>,
    /// <c>ErrorBackoff</c>, <c>MaxErrorBackoff</c>, <c>VaultReadTimeout</c>). Pass the <c>KeyVault</c> section to read the
    /// settings <c>welkin-token sandbox</c> prints and the other-language examples read (<c>KeyVault__VaultUri</c>, …).
    /// Validation errors name the full key, e.g. <c>KeyVault:VaultUri</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("KeyVault")</c>.</param>
    /// <param name="configure">Optional code configuration applied after binding, e.g. to set a credential or the SecretClient options.</param>
    /// <returns>The service collection, for chaining.</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<WelkinTokenSourceOptions>? configure = null)
    {
        Guard.NotNull(configuration);
        return services.AddWelkinTokenSource(options =>
        {
            WelkinTokenSourceConfiguration.Apply(configuration, options);
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
        Guard.NotNull(services);
        Guard.NotNull(configure);

        services.AddOptions<WelkinTokenSourceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<WelkinTokenSourceOptions>, WelkinTokenSourceOptionsValidator>());
        AddClientMetrics(services);
        services.TryAddSingleton<IWelkinTokenSource>(provider => CreateTokenSource(
            provider, provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>(), KeyVaultWelkinTokenSource.DefaultName));
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
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        string name,
        Uri vaultUri,
        string secretName,
        TokenCredential? credential = null)
    {
        Guard.NotNull(vaultUri);
        Guard.NotNull(secretName);
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
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The overloads ship together in the first version (1.0.0) and differ in the types of their leading parameters.")]
    public static IServiceCollection AddWelkinTokenSource(
        this IServiceCollection services,
        string name,
        IConfiguration configuration,
        Action<WelkinTokenSourceOptions>? configure = null)
    {
        Guard.NotNull(configuration);
        return services.AddWelkinTokenSource(name, options =>
        {
            WelkinTokenSourceConfiguration.Apply(configuration, options);
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
        Guard.NotNull(services);
        Guard.NotNullOrWhiteSpace(name);
        Guard.NotNull(configure);

        services.AddOptions<WelkinTokenSourceOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<WelkinTokenSourceOptions>, WelkinTokenSourceOptionsValidator>());
        AddClientMetrics(services);
        services.AddKeyedSingleton<IWelkinTokenSource>(name, (provider, _) => CreateTokenSource(
            provider, Options.Create(provider.GetRequiredService<IOptionsMonitor<WelkinTokenSourceOptions>>().Get(name)), name));
        return services;
    }

    private static KeyVaultWelkinTokenSource CreateTokenSource(IServiceProvider services, IOptions<WelkinTokenSourceOptions> options, string name)
    {
        TimeProvider time = services.GetRequiredService<TimeProvider>();
        SecretClient client = SecretClientSelection.Select(services, options.Value, time);

        ILogger<KeyVaultWelkinTokenSource> logger =
            services.GetService<ILogger<KeyVaultWelkinTokenSource>>() ?? NullLogger<KeyVaultWelkinTokenSource>.Instance;
        return new KeyVaultWelkinTokenSource(client, options, time, logger, name, services.GetRequiredService<ClientMetrics>());
    }

    // The application's meter factory when it has one (the generic host registers it), so its sources report per container.
    private static void AddClientMetrics(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => provider.GetService<IMeterFactory>() is { } meters
            ? new ClientMetrics(meters.Create(WelkinTokenClientTelemetry.MeterName), provider.GetRequiredService<TimeProvider>())
            : ClientMetrics.Shared);
    }
}
