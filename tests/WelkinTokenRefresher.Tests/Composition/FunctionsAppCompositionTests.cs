using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Functions.Composition;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Composition;

/// <summary>The app's own registration (what Program.cs calls) builds, validates and resolves every function.</summary>
public sealed class FunctionsAppCompositionTests
{
    private static ServiceProvider Build(IDictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRefresherFunctionsApp(TestSettings.Build(settings));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    [Fact]
    public void Valid_settings_build_pass_startup_validation_and_resolve_every_function()
    {
        using var provider = Build(TestSettings.Valid());

        Assert.Empty(StartupValidation.Failures(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<RefreshOnSchedule>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<RefreshOnDemand>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<TokenStatus>(provider));
        Assert.NotNull(provider.GetRequiredService<ITokenRefresher>());
        Assert.IsType<KeyVaultTokenVault>(provider.GetRequiredService<ITokenVault>());
        Assert.IsType<WelkinTokenClient>(provider.GetRequiredKeyedService<IWelkinTokenClient>(WelkinClientSettings.DefaultName));
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Secret_client_points_at_the_configured_vault()
    {
        using var provider = Build(TestSettings.Valid());

        var client = provider.GetRequiredService<Microsoft.Extensions.Azure.IAzureClientFactory<Azure.Security.KeyVault.Secrets.SecretClient>>().CreateClient(WelkinClientSettings.DefaultName);

        Assert.Equal(new Uri(TestSettings.VaultUri), client.VaultUri);
        Assert.Equal(new Uri(TestSettings.VaultUri), provider.GetRequiredService<IOptionsMonitor<TokenVaultOptions>>().Get(WelkinClientSettings.DefaultName).VaultUri);
    }

    [Fact]
    public void Refresher_is_one_instance_per_process_so_single_flight_holds()
    {
        using var provider = Build(TestSettings.Valid());

        Assert.Same(provider.GetRequiredService<ITokenRefresher>(), provider.GetRequiredService<ITokenRefresher>());
        Assert.Same(provider.GetRequiredKeyedService<WelkinRateGuard>(WelkinClientSettings.DefaultName), provider.GetRequiredKeyedService<WelkinRateGuard>(WelkinClientSettings.DefaultName));
    }

    [Theory]
    [InlineData("Welkin:ApiClient")]
    [InlineData("Welkin:Secret")]
    [InlineData("KeyVault:VaultUri")]
    public void Missing_required_setting_fails_startup_with_its_name(string key)
    {
        var settings = TestSettings.Valid();
        settings.Remove(key);
        using var provider = Build(settings);

        var failure = Assert.Single(StartupValidation.Failures(provider));

        Assert.StartsWith(key + " ", failure, StringComparison.Ordinal);
        Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_start_throws_the_validation_failure()
    {
        var settings = TestSettings.Valid();
        settings.Remove("Welkin:Secret");
        using var provider = Build(settings);

        var e = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Welkin:Secret", e.Message, StringComparison.Ordinal);
    }
}
