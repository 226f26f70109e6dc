using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>The defaults of the configuration table, as bound when only the required keys are set.</summary>
public sealed class OptionsDefaultsTests
{
    [Fact]
    public void Unset_keys_take_the_defaults_of_the_configuration_table()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Welkin:ApiClient"] = "client",
            ["Welkin:Secret"] = "secret",
            ["KeyVault:VaultUri"] = TestSettings.VaultUri,
        };
        using var provider = new ServiceCollection().AddWelkinTokenRefresher(TestSettings.Build(settings)).BuildServiceProvider();

        Assert.Empty(StartupValidation.Failures(provider));
        var welkin = provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>().Get(WelkinClientSettings.DefaultName);
        var keyVault = provider.GetRequiredService<IOptionsMonitor<TokenVaultOptions>>().Get(WelkinClientSettings.DefaultName);
        var refresh = provider.GetRequiredService<IOptions<RefreshOptions>>().Value;

        Assert.Equal(new Uri("https://api.welkinhealth.com"), welkin.BaseUrl);
        Assert.Equal("/auth/token", welkin.TokenPath);
        Assert.Equal(new Uri("https://api.welkinhealth.com/auth/token"), welkin.TokenEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(15), welkin.Timeout);
        Assert.Equal(10, welkin.MaxTokenRequestsPer5Minutes);
        Assert.Equal("welkin-api-token", keyVault.SecretName);
        Assert.Equal("0 */5 * * * *", refresh.Schedule);
        Assert.Equal(TimeSpan.FromMinutes(50), refresh.RefreshAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), refresh.RefreshBeforeExpiry);
        Assert.Equal(TimeSpan.FromMinutes(1), refresh.MinForceInterval);
    }

    [Fact]
    public void Every_key_of_the_table_binds_from_configuration()
    {
        var settings = TestSettings.Valid();
        settings["Welkin:BaseUrl"] = "https://api.live.welkincloud.io";
        settings["Welkin:TokenPath"] = "/tenant/admin/api_clients/client";
        settings["Welkin:Timeout"] = "00:00:20";
        settings["Welkin:MaxTokenRequestsPer5Minutes"] = "7";
        settings["KeyVault:SecretName"] = "other-token";
        settings["Refresh:Schedule"] = "0 */10 * * * *";
        settings["Refresh:RefreshAfter"] = "00:40:00";
        settings["Refresh:RefreshBeforeExpiry"] = "00:15:00";
        settings["Refresh:MinForceInterval"] = "00:02:00";
        using var provider = new ServiceCollection().AddWelkinTokenRefresher(TestSettings.Build(settings)).BuildServiceProvider();

        Assert.Empty(StartupValidation.Failures(provider));
        var welkin = provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>().Get(WelkinClientSettings.DefaultName);
        var vault = provider.GetRequiredService<IOptionsMonitor<TokenVaultOptions>>().Get(WelkinClientSettings.DefaultName);
        var refresh = provider.GetRequiredService<IOptions<RefreshOptions>>().Value;
        Assert.Equal(new Uri("https://api.live.welkincloud.io/tenant/admin/api_clients/client"), welkin.TokenEndpoint);
        Assert.Equal(TestSettings.ApiClient, welkin.ApiClient);
        Assert.Equal(TestSettings.Secret, welkin.Secret);
        Assert.Equal(TimeSpan.FromSeconds(20), welkin.Timeout);
        Assert.Equal(7, welkin.MaxTokenRequestsPer5Minutes);
        Assert.Equal(new Uri(TestSettings.VaultUri), vault.VaultUri);
        Assert.Equal("other-token", vault.SecretName);
        Assert.Equal("0 */10 * * * *", refresh.Schedule);
        Assert.Equal(TimeSpan.FromMinutes(40), refresh.RefreshAfter);
        Assert.Equal(TimeSpan.FromMinutes(15), refresh.RefreshBeforeExpiry);
        Assert.Equal(TimeSpan.FromMinutes(2), refresh.MinForceInterval);
    }
}
