using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task AWelkinHttpClientCarriesTheTokenReadFromTheVaultThroughTheConfiguredSecretClient()
    {
        DateTimeOffset expiresOn = TimeProvider.System.GetUtcNow().AddHours(1);
        string tokenValue = FakeVault.TokenValue("abc123");
        using var vault = new VaultStubHandler(tokenValue, "abc123", expiresOn);
        var welkin = new StubInnerHandler(HttpStatusCode.OK);
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("key-vault-access-token", TimeProvider.System.GetUtcNow().AddHours(1)));

        var services = new ServiceCollection();
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = new Uri("https://test-vault.vault.azure.net/");
            options.Credential = credential.Object;
            options.ConfigureSecretClient = client =>
            {
                client.DisableChallengeResourceVerification = true;
                client.Transport = new HttpClientTransport(new HttpClient(vault));
            };
        });
        services.AddHttpClient("welkin").AddWelkinBearerToken().ConfigurePrimaryHttpMessageHandler(() => welkin);
        await using ServiceProvider provider = services.BuildServiceProvider();

        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("welkin");
        using HttpResponseMessage first = await client.GetAsync(new Uri("https://welkin.test/patients"));
        using HttpResponseMessage second = await client.GetAsync(new Uri("https://welkin.test/patients"));

        Assert.Equal([$"Bearer {tokenValue}", $"Bearer {tokenValue}"], welkin.SentAuthorizations);
        Assert.Equal(1, vault.SecretReads);
        WelkinToken token = await provider.GetRequiredService<IWelkinTokenSource>().GetTokenAsync();
        Assert.Equal("abc123", token.Version);
        Assert.Equal(expiresOn.ToUnixTimeSeconds(), token.ExpiresOn.ToUnixTimeSeconds());
    }

    [Fact]
    public void OptionsBindFromAConfigurationSection()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Welkin:VaultUri"] = "https://tokens.vault.azure.net/",
                ["Welkin:SecretName"] = "welkin-prod-token",
                ["Welkin:RefreshBeforeExpiry"] = "00:04:00",
            })
            .Build();

        var services = new ServiceCollection();
        services.AddWelkinTokenSource(configuration.GetSection("Welkin"));
        using ServiceProvider provider = services.BuildServiceProvider();
        WelkinTokenSourceOptions options = provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value;

        Assert.Equal(new Uri("https://tokens.vault.azure.net/"), options.VaultUri);
        Assert.Equal("welkin-prod-token", options.SecretName);
        Assert.Equal(TimeSpan.FromMinutes(4), options.RefreshBeforeExpiry);
        Assert.IsType<KeyVaultWelkinTokenSource>(provider.GetRequiredService<IWelkinTokenSource>());
    }

    [Fact]
    public void TheVaultUriOverloadUsesTheDefaultSecretNameAndOneSharedSource()
    {
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(new Uri("https://tokens.vault.azure.net/"), credential: Mock.Of<TokenCredential>());
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(WelkinTokenSourceOptions.DefaultSecretName, provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value.SecretName);
        Assert.Same(provider.GetRequiredService<IWelkinTokenSource>(), provider.GetRequiredService<IWelkinTokenSource>());
    }

    [Fact]
    public void AMissingVaultUriFailsWhenTheSourceIsResolved()
    {
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(_ => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IWelkinTokenSource>());
        Assert.Contains(failure.Failures, message => message.Contains("VaultUri", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSecretClientRetriesAsTheRefresherDoesAndConfigureSecretClientCanChangeIt()
    {
        SecretClientOptions? seen = null;
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = new Uri("https://tokens.vault.azure.net/");
            options.Credential = Mock.Of<TokenCredential>();
            options.ConfigureSecretClient = client => seen = client;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWelkinTokenSource>();

        Assert.NotNull(seen);
        Assert.Equal(2, seen.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(10), seen.Retry.NetworkTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), seen.Retry.MaxDelay);
    }

    [Fact]
    public void VaultReadTimeoutBindsFromConfigurationAndDefaultsToThirtySeconds()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Welkin:VaultUri"] = "https://tokens.vault.azure.net/",
                ["Welkin:VaultReadTimeout"] = "00:00:12",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(configuration.GetSection("Welkin"));
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(12), provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value.VaultReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), new WelkinTokenSourceOptions().VaultReadTimeout);
    }

    [Theory]
    [InlineData("Welkin:VaultReadTimeout", "TimeSpan")]
    [InlineData("Welkin:VaultUri", "Uri")]
    public void AValueThatCannotBeConvertedNamesTheSettingAndTypeButNeverRepeatsTheValue(string key, string type)
    {
        const string pasted = "s3cr3t' at 'Welkin:SecretName' to type 'x";
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Welkin:VaultUri"] = "https://tokens.vault.azure.net/",
                ["Welkin:SecretName"] = "welkin-api-token",
                [key] = key.EndsWith("VaultUri", StringComparison.Ordinal) ? "https://" + pasted + ":port" : pasted,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(configuration.GetSection("Welkin"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var failure = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value);

        Assert.Equal($"{key} has a value that cannot be read as {type} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}). The value is not shown: it may be a secret.", failure.Message);
        Assert.Null(failure.InnerException);
    }

    [Fact]
    public void ANamedSourceBindsItsSectionAndThenRunsTheCodeConfiguration()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Welkin:Live:VaultUri"] = "https://tokens.vault.azure.net/",
                ["Welkin:Live:SecretName"] = "welkin-api-token-live",
                ["Welkin:Live:ErrorBackoff"] = "00:00:07",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddWelkinTokenSource("live", configuration.GetSection("Welkin:Live"), options => options.MinimumReadInterval = TimeSpan.FromSeconds(3));
        using ServiceProvider provider = services.BuildServiceProvider();

        WelkinTokenSourceOptions options = provider.GetRequiredService<IOptionsMonitor<WelkinTokenSourceOptions>>().Get("live");
        Assert.Equal((new Uri("https://tokens.vault.azure.net/"), "welkin-api-token-live"), (options.VaultUri, options.SecretName));
        Assert.Equal((TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(3)), (options.ErrorBackoff, options.MinimumReadInterval));
    }

    [Fact]
    public void CodeConfigurationRunsAfterBindingAndWins()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Welkin:VaultUri"] = "https://tokens.vault.azure.net/",
                ["Welkin:SecretName"] = "from-configuration",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(configuration.GetSection("Welkin"), options => options.SecretName = "from-code");
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal("from-code", provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value.SecretName);
    }

    [Fact]
    public async Task WithoutLoggingRegisteredTheSourceStillWorks()
    {
        DateTimeOffset expiresOn = TimeProvider.System.GetUtcNow().AddHours(1);
        using var vault = new VaultStubHandler(FakeVault.TokenValue("abc123"), "abc123", expiresOn);
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("key-vault-access-token", expiresOn));
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = new Uri("https://test-vault.vault.azure.net/");
            options.Credential = credential.Object;
            options.ConfigureSecretClient = client =>
            {
                client.DisableChallengeResourceVerification = true;
                client.Transport = new HttpClientTransport(new HttpClient(vault));
            };
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        WelkinToken token = await provider.GetRequiredService<IWelkinTokenSource>().GetTokenAsync();

        Assert.Equal("abc123", token.Version);
    }
}
