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

    [Fact]
    public async Task Settings_no_option_reads_are_warned_about_when_the_app_starts_by_key_never_by_value()
    {
        var settings = TestSettings.Valid();
        settings["Welkin:ApiClinet"] = "s3cr3t-value";
        settings["Refresh:RefreshAftr"] = "00:10:00";
        settings["Welkin:Clients:live:Tenent"] = "acme";
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddRefresherFunctionsApp(TestSettings.Build(settings));
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var warnings = provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 1200).ToList();
        Assert.Equal(
            [
                "Unknown setting Welkin:ApiClinet: Welkin:ApiClinet (environment variable Welkin__ApiClinet) is not a setting of this app and has no effect; did you mean Welkin:ApiClient?",
                "Unknown setting Welkin:Clients:live:Tenent: Welkin:Clients:live:Tenent (environment variable Welkin__Clients__live__Tenent) is not a setting of this app and has no effect; did you mean Welkin:Clients:live:Tenant?",
                "Unknown setting Refresh:RefreshAftr: Refresh:RefreshAftr (environment variable Refresh__RefreshAftr) is not a setting of this app and has no effect; did you mean Refresh:RefreshAfter?",
            ],
            warnings.Select(w => w.Message));
        Assert.All(warnings, w => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, w.Level));
        Assert.DoesNotContain(provider.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains("s3cr3t-value", StringComparison.Ordinal));
    }
}
