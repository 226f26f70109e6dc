using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>Named token sources on keyed services: one per Welkin API client, each its own secret, cache and single flight.</summary>
public sealed class NamedTokenSourceTests
{
    private static readonly DateTimeOffset ExpiresOn = TimeProvider.System.GetUtcNow().AddHours(1);

    private static TokenCredential Credential()
    {
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("key-vault-access-token", TimeProvider.System.GetUtcNow().AddHours(1)));
        return credential.Object;
    }

    private static void AddSource(IServiceCollection services, string? name, string secretName, VaultStubHandler vault)
    {
        void Configure(WelkinTokenSourceOptions options)
        {
            options.VaultUri = new Uri("https://test-vault.vault.azure.net/");
            options.SecretName = secretName;
            options.Credential = Credential();
            options.ConfigureSecretClient = client =>
            {
                client.DisableChallengeResourceVerification = true;
                client.Transport = new HttpClientTransport(new HttpClient(vault));
            };
        }

        if (name is null)
        {
            services.AddWelkinTokenSource(Configure);
        }
        else
        {
            services.AddWelkinTokenSource(name, Configure);
        }
    }

    [Fact]
    public async Task Each_named_source_reads_its_own_secret_with_its_own_cache_beside_the_unnamed_one()
    {
        using var liveVault = new VaultStubHandler(FakeVault.TokenValue("live"), "v-live", ExpiresOn);
        using var stagingVault = new VaultStubHandler(FakeVault.TokenValue("staging"), "v-staging", ExpiresOn);
        using var defaultVault = new VaultStubHandler(FakeVault.TokenValue("default"), "v-default", ExpiresOn);
        var services = new ServiceCollection();
        AddSource(services, "live", "welkin-api-token-live", liveVault);
        AddSource(services, "staging", "welkin-api-token-staging", stagingVault);
        AddSource(services, null, "welkin-api-token", defaultVault);
        await using ServiceProvider provider = services.BuildServiceProvider();

        var live = provider.GetRequiredKeyedService<IWelkinTokenSource>("live");
        var staging = provider.GetRequiredKeyedService<IWelkinTokenSource>("staging");
        var unnamed = provider.GetRequiredService<IWelkinTokenSource>();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => ((i % 3) switch { 0 => live, 1 => staging, _ => unnamed }).GetTokenAsync().AsTask()));

        Assert.Equal(3, new HashSet<IWelkinTokenSource>([live, staging, unnamed]).Count);
        Assert.Same(live, provider.GetRequiredKeyedService<IWelkinTokenSource>("live"));
        Assert.All(tokens.Where((_, i) => i % 3 == 0), t => Assert.Equal("v-live", t.Version));
        Assert.All(tokens.Where((_, i) => i % 3 == 1), t => Assert.Equal("v-staging", t.Version));
        Assert.All(tokens.Where((_, i) => i % 3 == 2), t => Assert.Equal("v-default", t.Version));
        Assert.Equal((1, 1, 1), (liveVault.SecretReads, stagingVault.SecretReads, defaultVault.SecretReads));
        Assert.Equal("welkin-api-token-live", provider.GetRequiredService<IOptionsMonitor<WelkinTokenSourceOptions>>().Get("live").SecretName);
    }

    [Fact]
    public async Task A_named_bearer_token_handler_sends_that_sources_token()
    {
        using var liveVault = new VaultStubHandler(FakeVault.TokenValue("live"), "v-live", ExpiresOn);
        using var stagingVault = new VaultStubHandler(FakeVault.TokenValue("staging"), "v-staging", ExpiresOn);
        var liveWelkin = new StubInnerHandler(HttpStatusCode.OK);
        var stagingWelkin = new StubInnerHandler(HttpStatusCode.OK);
        var services = new ServiceCollection();
        AddSource(services, "live", "welkin-api-token-live", liveVault);
        AddSource(services, "staging", "welkin-api-token-staging", stagingVault);
        services.AddHttpClient("welkin-live").AddWelkinBearerToken("live").ConfigurePrimaryHttpMessageHandler(() => liveWelkin);
        services.AddHttpClient("welkin-staging").AddWelkinBearerToken("staging").ConfigurePrimaryHttpMessageHandler(() => stagingWelkin);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var toLive = await factory.CreateClient("welkin-live").GetAsync(new Uri("https://welkin.test/patients"));
        using var toStaging = await factory.CreateClient("welkin-staging").GetAsync(new Uri("https://welkin.test/patients"));

        Assert.Equal([$"Bearer {FakeVault.TokenValue("live")}"], liveWelkin.SentAuthorizations);
        Assert.Equal([$"Bearer {FakeVault.TokenValue("staging")}"], stagingWelkin.SentAuthorizations);
    }

    [Fact]
    public async Task FromKeyedServices_injects_the_named_source()
    {
        using var liveVault = new VaultStubHandler(FakeVault.TokenValue("live"), "v-live", ExpiresOn);
        var services = new ServiceCollection();
        AddSource(services, "live", "welkin-api-token-live", liveVault);
        services.AddSingleton<LiveConsumer>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        var consumer = provider.GetRequiredService<LiveConsumer>();

        Assert.Same(provider.GetRequiredKeyedService<IWelkinTokenSource>("live"), consumer.Source);
        Assert.Equal("v-live", (await consumer.Source.GetTokenAsync()).Version);
    }

    [Fact]
    public void The_vault_uri_overload_registers_named_options_validated_at_start()
    {
        var services = new ServiceCollection();
        services.AddWelkinTokenSource("live", new Uri("https://tokens.vault.azure.net/"), "welkin-api-token-live", Mock.Of<TokenCredential>());
        services.AddWelkinTokenSource("broken", options => options.SecretName = "");
        using ServiceProvider provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<IOptionsMonitor<WelkinTokenSourceOptions>>();
        Assert.Equal("welkin-api-token-live", monitor.Get("live").SecretName);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IWelkinTokenSource>("unknown"));
    }

    private sealed class LiveConsumer([FromKeyedServices("live")] IWelkinTokenSource source)
    {
        public IWelkinTokenSource Source { get; } = source;
    }
}
