using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>
/// <c>Welkin:Clients:{name}</c>: which clients exist, what each inherits from <c>Welkin</c> (never its credentials), and each
/// client's own problems, each naming the key in force for it. An invalid client stops itself only; start-up fails only
/// when no client can be refreshed.
/// </summary>
public sealed class WelkinClientsConfigurationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWelkinTokenRefresher(TestSettings.Build(settings));
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] extra)
    {
        var settings = TestSettings.Valid();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static ClientConfiguration Client(ServiceProvider provider, string name) => provider.GetRequiredService<ConfiguredClients>()[name];

    [Fact]
    public void The_single_client_configuration_is_the_client_named_default_and_the_unkeyed_refresher()
    {
        using var provider = Build(TestSettings.Valid());

        var registry = provider.GetRequiredService<ITokenRefresherRegistry>();

        Assert.Equal(["default"], registry.ClientNames);
        Assert.True(registry.TryGet("default", out var refresher));
        Assert.Same(provider.GetRequiredService<ITokenRefresher>(), refresher);
        Assert.Same(provider.GetRequiredKeyedService<ITokenVault>("default"), provider.GetRequiredService<ITokenVault>());
        Assert.Empty(StartupValidation.Failures(provider));
        Assert.Equal("welkin-api-token", provider.GetRequiredService<ITokenVault>().SecretName);
    }

    [Fact]
    public void Named_clients_inherit_unset_settings_from_Welkin_but_never_its_credentials()
    {
        using var provider = Build(With(
            ("Welkin:Api", "api-clients"),
            ("Welkin:Tenant", "acme"),
            ("Welkin:Timeout", "00:00:07"),
            ("Welkin:Clients:live:ApiClient", "reporting"),
            ("Welkin:Clients:live:Secret", "live-secret"),
            ("Welkin:Clients:staging:ApiClient", "reporting"),
            ("Welkin:Clients:staging:Secret", "staging-secret"),
            ("Welkin:Clients:staging:BaseUrl", "https://api.stg.welkincloud.io"),
            ("Welkin:Clients:staging:Tenant", "acme-stg"),
            ("Welkin:Clients:staging:SecretName", "stg-token"),
            ("Welkin:Clients:legacy:ApiClient", "legacy-key"),
            ("Welkin:Clients:legacy:Secret", "legacy-secret"),
            ("Welkin:Clients:legacy:Api", "auth-token"),
            ("Welkin:Clients:legacy:TokenPath", "/v1/auth/token")));

        var monitor = provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>();
        var live = monitor.Get("live");
        var staging = monitor.Get("staging");
        var legacy = monitor.Get("legacy");

        Assert.Empty(StartupValidation.Failures(provider));
        Assert.Equal(["default", "legacy", "live", "staging"], provider.GetRequiredService<ITokenRefresherRegistry>().ClientNames);
        Assert.Equal((TestSettings.BaseUrl + "/", "api-clients", "acme", "reporting", "live-secret", TimeSpan.FromSeconds(7)),
            (live.BaseUrl.AbsoluteUri, live.Api, live.Tenant, live.ApiClient, live.Secret, live.Timeout));
        Assert.Equal(new Uri("https://api.stg.welkincloud.io/acme-stg/admin/api_clients/reporting"), staging.TokenEndpoint);
        Assert.Equal("staging-secret", staging.Secret);
        Assert.Equal(new Uri(TestSettings.BaseUrl + "/v1/auth/token"), legacy.TokenEndpoint);
        Assert.Equal("welkin-api-token-live", provider.GetRequiredKeyedService<ITokenVault>("live").SecretName);
        Assert.Equal("stg-token", provider.GetRequiredKeyedService<ITokenVault>("staging").SecretName);
        Assert.All(provider.GetRequiredService<ConfiguredClients>().All, c => Assert.Empty(c.Problems(ClientUse.Refresh)));
    }

    [Theory]
    [InlineData("Secret")]
    [InlineData("ApiClient")]
    public void A_named_client_missing_a_credential_is_invalid_naming_its_own_key_and_never_takes_the_default_clients(string credential)
    {
        var settings = With(("Welkin:Clients:staging:ApiClient", "staging-key"), ("Welkin:Clients:staging:Secret", "staging-secret"));
        settings.Remove($"Welkin:Clients:staging:{credential}");
        using var provider = Build(settings);

        var staging = provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>();
        var problem = Assert.Single(Client(provider, "staging").Problems(ClientUse.Refresh));

        Assert.StartsWith($"Welkin:Clients:staging:{credential} is required", problem, StringComparison.Ordinal);
        Assert.Contains($"Welkin__Clients__staging__{credential}", problem, StringComparison.Ordinal);
        Assert.Empty(Client(provider, "staging").Problems(ClientUse.ReadVault));
        Assert.Empty(Client(provider, "default").Problems(ClientUse.Refresh));
        // Not inherited: the option is empty, so the default client's value can never be posted to staging's host.
        Assert.Equal("", credential == "Secret" ? staging.Get("staging").Secret : staging.Get("staging").ApiClient);
        Assert.Empty(StartupValidation.Failures(provider));
    }

    [Fact]
    public void Without_credentials_of_its_own_the_Welkin_section_is_no_client_when_named_clients_exist()
    {
        var settings = With(("Welkin:Clients:live:ApiClient", "a"), ("Welkin:Clients:live:Secret", "s"));
        settings.Remove("Welkin:ApiClient");
        settings.Remove("Welkin:Secret");
        using var provider = Build(settings);

        var registry = provider.GetRequiredService<ITokenRefresherRegistry>();

        Assert.Equal(["live"], registry.ClientNames);
        Assert.False(registry.TryGet("default", out _));
        Assert.Null(provider.GetService<ITokenRefresher>());
        Assert.Empty(StartupValidation.Failures(provider));
    }

    [Theory]
    [InlineData("Live")]
    [InlineData("live_eu")]
    [InlineData("-live")]
    [InlineData("live.eu")]
    public void An_invalid_client_name_stops_that_client_only_naming_its_section(string name)
    {
        using var provider = Build(With(($"Welkin:Clients:{name}:ApiClient", "a"), ($"Welkin:Clients:{name}:Secret", "s")));

        var problem = Assert.Single(Client(provider, name).Problems(ClientUse.ReadVault));

        Assert.StartsWith($"Welkin:Clients:{name} is not a valid client name: use 1-40 lower-case letters, digits and hyphens", problem, StringComparison.Ordinal);
        Assert.Empty(Client(provider, "default").Problems(ClientUse.Refresh));
        Assert.Empty(StartupValidation.Failures(provider));
    }

    [Fact]
    public void A_section_named_default_is_a_problem_of_the_default_client()
    {
        using var provider = Build(With(("Welkin:Clients:default:ApiClient", "a"), ("Welkin:Clients:live:ApiClient", "l"), ("Welkin:Clients:live:Secret", "s")));

        Assert.Equal(["default", "live"], provider.GetRequiredService<ITokenRefresherRegistry>().ClientNames);
        Assert.StartsWith("Welkin:Clients:default is not allowed", Assert.Single(Client(provider, "default").Problems(ClientUse.ReadVault)), StringComparison.Ordinal);
        Assert.Empty(Client(provider, "live").Problems(ClientUse.Refresh));
    }

    [Fact]
    public void Two_clients_with_one_secret_name_both_stop_each_naming_its_own_key_and_the_other_client()
    {
        using var provider = Build(With(
            ("Welkin:Clients:live:ApiClient", "a"),
            ("Welkin:Clients:live:Secret", "s"),
            ("Welkin:Clients:live:SecretName", "shared"),
            ("Welkin:Clients:staging:ApiClient", "b"),
            ("Welkin:Clients:staging:Secret", "s2"),
            ("Welkin:Clients:staging:SecretName", "SHARED")));

        Assert.StartsWith("Welkin:Clients:live:SecretName 'shared' is also the secret of client 'staging'", Assert.Single(Client(provider, "live").Problems(ClientUse.ReadVault)), StringComparison.Ordinal);
        Assert.StartsWith("Welkin:Clients:staging:SecretName 'SHARED' is also the secret of client 'live'", Assert.Single(Client(provider, "staging").Problems(ClientUse.ReadVault)), StringComparison.Ordinal);
        Assert.Empty(Client(provider, "default").Problems(ClientUse.Refresh));
    }

    [Fact]
    public void A_named_client_secret_name_equal_to_the_default_one_stops_both()
    {
        using var provider = Build(With(("Welkin:Clients:live:ApiClient", "a"), ("Welkin:Clients:live:Secret", "s"), ("Welkin:Clients:live:SecretName", "welkin-api-token")));

        Assert.StartsWith("Welkin:Clients:live:SecretName 'welkin-api-token' is also the secret of client 'default'", Assert.Single(Client(provider, "live").Problems(ClientUse.ReadVault)), StringComparison.Ordinal);
        Assert.StartsWith("KeyVault:SecretName 'welkin-api-token' is also the secret of client 'live'", Assert.Single(Client(provider, "default").Problems(ClientUse.ReadVault)), StringComparison.Ordinal);
        // Neither can be refreshed, so nothing is left to start.
        Assert.Equal(2, StartupValidation.Failures(provider).Count);
    }

    [Fact]
    public void A_named_api_clients_client_without_tenant_names_its_own_Tenant_key()
    {
        using var provider = Build(With(("Welkin:Clients:live:ApiClient", "a"), ("Welkin:Clients:live:Secret", "s"), ("Welkin:Clients:live:Api", "api-clients")));

        var problem = Assert.Single(Client(provider, "live").Problems(ClientUse.Refresh));

        Assert.StartsWith("Welkin:Clients:live:Tenant is required when Welkin:Clients:live:Api is 'api-clients'", problem, StringComparison.Ordinal);
        Assert.Contains("Welkin__Clients__live__Tenant", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inherited_invalid_value_names_the_inherited_key_for_every_client_that_takes_it()
    {
        using var provider = Build(With(("Welkin:Timeout", "00:05:00"), ("Welkin:Clients:live:ApiClient", "a"), ("Welkin:Clients:live:Secret", "s"), ("Welkin:Clients:eu:ApiClient", "e"), ("Welkin:Clients:eu:Secret", "s"), ("Welkin:Clients:eu:Timeout", "00:00:10")));

        Assert.StartsWith("Welkin:Timeout must be at most 00:02:00", Assert.Single(Client(provider, "live").Problems(ClientUse.Refresh)), StringComparison.Ordinal);
        Assert.StartsWith("Welkin:Timeout must be at most 00:02:00", Assert.Single(Client(provider, "default").Problems(ClientUse.Refresh)), StringComparison.Ordinal);
        Assert.Empty(Client(provider, "eu").Problems(ClientUse.Refresh));
        Assert.Empty(StartupValidation.Failures(provider));
    }

    [Fact]
    public void With_no_client_that_can_be_refreshed_start_up_fails_with_every_clients_problems_once()
    {
        var settings = With(("Welkin:Clients:live:Api", "api-clients"));
        settings.Remove("Welkin:Secret");
        using var provider = Build(settings);

        Assert.Equal(
            [
                "Welkin:Secret is required: set it to the API client secret from Welkin Admin > API Clients (in Azure, a Key Vault reference) (environment variable Welkin__Secret).",
                "Welkin:Clients:live:Tenant is required when Welkin:Clients:live:Api is 'api-clients': set it to the customer space (tenant) name in the token URL (environment variable Welkin__Clients__live__Tenant).",
                "Welkin:Clients:live:ApiClient is required: set it to the API client key from Welkin Admin > API Clients (environment variable Welkin__Clients__live__ApiClient).",
                "Welkin:Clients:live:Secret is required: set it to the API client secret from Welkin Admin > API Clients (in Azure, a Key Vault reference) (environment variable Welkin__Clients__live__Secret).",
            ],
            StartupValidation.Failures(provider));
    }

    [Theory]
    [InlineData("Welkin:Secret")]
    [InlineData("Welkin:Clients:live:ApiClient")]
    public void An_unresolved_Key_Vault_reference_is_a_configuration_error_never_a_credential(string key)
    {
        using var provider = Build(With(("Welkin:Clients:live:ApiClient", "l"), ("Welkin:Clients:live:Secret", "s"), (key, "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/welkin-api-secret/)")));
        var client = key.Contains("live", StringComparison.Ordinal) ? "live" : "default";

        var problem = Assert.Single(Client(provider, client).Problems(ClientUse.Refresh));

        Assert.StartsWith($"{key} is a Key Vault reference that the platform could not resolve", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("kv.vault.azure.net", problem, StringComparison.Ordinal);
    }
}
