using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>
/// <c>Welkin:Clients:{name}</c>: which clients exist, what each inherits from <c>Welkin</c>, and the start-up errors for
/// bad names, duplicate secrets and incomplete clients, each naming its key.
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

    [Fact]
    public void The_single_client_configuration_is_the_client_named_default_and_the_unkeyed_refresher()
    {
        using var provider = Build(TestSettings.Valid());

        var registry = provider.GetRequiredService<ITokenRefresherRegistry>();

        Assert.Equal(["default"], registry.ClientNames);
        Assert.True(registry.TryGet("default", out var refresher));
        Assert.Same(provider.GetRequiredService<ITokenRefresher>(), refresher);
        Assert.Empty(StartupValidation.Failures(provider));
        Assert.Equal("welkin-api-token", provider.GetRequiredService<ITokenVault>().SecretName);
    }

    [Fact]
    public void Named_clients_inherit_unset_values_from_Welkin_and_get_their_own_secret()
    {
        using var provider = Build(With(
            ("Welkin:Api", "api-clients"),
            ("Welkin:Tenant", "acme"),
            ("Welkin:Timeout", "00:00:07"),
            ("Welkin:Clients:live:ApiClient", "reporting"),
            ("Welkin:Clients:live:Secret", "live-secret"),
            ("Welkin:Clients:staging:ApiClient", "reporting"),
            ("Welkin:Clients:staging:BaseUrl", "https://api.stg.welkincloud.io"),
            ("Welkin:Clients:staging:Tenant", "acme-stg"),
            ("Welkin:Clients:staging:SecretName", "stg-token"),
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
        Assert.Equal(TestSettings.Secret, staging.Secret);
        Assert.Equal(new Uri(TestSettings.BaseUrl + "/v1/auth/token"), legacy.TokenEndpoint);
        Assert.Equal("welkin-api-token-live", provider.GetRequiredKeyedService<ITokenVault>("live").SecretName);
        Assert.Equal("stg-token", provider.GetRequiredKeyedService<ITokenVault>("staging").SecretName);
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
        Assert.Empty(StartupValidation.Failures(provider));
    }

    [Theory]
    [InlineData("Live")]
    [InlineData("live_eu")]
    [InlineData("-live")]
    [InlineData("live.eu")]
    public void An_invalid_client_name_fails_at_start_naming_its_key(string name)
    {
        using var provider = Build(With(($"Welkin:Clients:{name}:ApiClient", "a")));

        var failure = Assert.Single(StartupValidation.Failures(provider), f => f.Contains("client name", StringComparison.Ordinal));

        Assert.StartsWith($"Welkin:Clients:{name} is not a valid client name: use 1-40 lower-case letters, digits and hyphens", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_named_default_is_refused()
    {
        using var provider = Build(With(("Welkin:Clients:default:ApiClient", "a")));

        Assert.Contains(StartupValidation.Failures(provider), f => f.StartsWith("Welkin:Clients:default is not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_clients_with_one_secret_name_are_refused_naming_the_second_key()
    {
        using var provider = Build(With(
            ("Welkin:Clients:live:ApiClient", "a"),
            ("Welkin:Clients:live:SecretName", "shared"),
            ("Welkin:Clients:staging:ApiClient", "b"),
            ("Welkin:Clients:staging:SecretName", "SHARED")));

        var failure = Assert.Single(StartupValidation.Failures(provider));

        Assert.StartsWith("Welkin:Clients:staging:SecretName 'SHARED' is also the secret of client 'live'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_client_secret_name_equal_to_the_default_one_is_refused()
    {
        using var provider = Build(With(("Welkin:Clients:live:ApiClient", "a"), ("Welkin:Clients:live:SecretName", "welkin-api-token")));

        Assert.Contains(StartupValidation.Failures(provider), f => f.StartsWith("Welkin:Clients:live:SecretName 'welkin-api-token' is also the secret of client 'default'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_named_api_clients_client_without_tenant_names_its_own_Tenant_key()
    {
        using var provider = Build(With(("Welkin:Clients:live:ApiClient", "a"), ("Welkin:Clients:live:Api", "api-clients")));

        var failure = Assert.Single(StartupValidation.Failures(provider));

        Assert.StartsWith("Welkin:Clients:live:Tenant is required when Welkin:Clients:live:Api is 'api-clients'", failure, StringComparison.Ordinal);
        Assert.Contains("Welkin__Clients__live__Tenant", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_client_without_any_api_client_key_names_its_own_key()
    {
        var settings = With(("Welkin:Clients:live:Secret", "s"));
        settings.Remove("Welkin:ApiClient");
        settings.Remove("Welkin:Secret");
        using var provider = Build(settings);

        var failure = Assert.Single(StartupValidation.Failures(provider));

        Assert.StartsWith("Welkin:Clients:live:ApiClient is required", failure, StringComparison.Ordinal);
    }
}
