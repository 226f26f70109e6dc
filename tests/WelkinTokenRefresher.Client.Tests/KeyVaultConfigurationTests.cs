using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// The configuration overload reads the keys <c>welkin-token sandbox</c> prints and the other-language examples read
/// (<c>KeyVault:VaultUri</c>, <c>KeyVault:SecretName</c>, <c>KeyVault:DisableChallengeResourceVerification</c>), and its
/// errors name the full key.
/// </summary>
public sealed class KeyVaultConfigurationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();

    [Fact]
    public void The_KeyVault_section_sets_the_vault_the_secret_and_the_challenge_check_of_the_client_it_builds()
    {
        IConfiguration configuration = Configuration(
            ("KeyVault:VaultUri", "https://127.0.0.1:40002/"),
            ("KeyVault:SecretName", "welkin-api-token-live"),
            ("KeyVault:DisableChallengeResourceVerification", "true"));
        SecretClientOptions? built = null;
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(configuration.GetSection("KeyVault"), options =>
        {
            options.Credential = Mock.Of<TokenCredential>();
            options.ConfigureSecretClient = client => built = client;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        WelkinTokenSourceOptions options = provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value;
        provider.GetRequiredService<IWelkinTokenSource>();

        Assert.Equal((new Uri("https://127.0.0.1:40002/"), "welkin-api-token-live", true), (options.VaultUri, options.SecretName, options.DisableChallengeResourceVerification));
        Assert.True(built!.DisableChallengeResourceVerification);
    }

    [Fact]
    public void The_challenge_check_stays_on_unless_configured()
    {
        SecretClientOptions? built = null;
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(Configuration(("KeyVault:VaultUri", "https://tokens.vault.azure.net/")).GetSection("KeyVault"), options =>
        {
            options.Credential = Mock.Of<TokenCredential>();
            options.ConfigureSecretClient = client => built = client;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWelkinTokenSource>();

        Assert.False(built!.DisableChallengeResourceVerification);
    }

    [Theory]
    [InlineData("KeyVault", null)]
    [InlineData("Welkin", null)]
    [InlineData("Welkin:Live", "live")]
    public void A_missing_VaultUri_names_the_full_key_and_environment_variable_it_looked_for(string section, string? name)
    {
        IConfiguration configuration = Configuration(("Elsewhere:VaultUri", "https://tokens.vault.azure.net/"));
        var services = new ServiceCollection();
        if (name is null)
        {
            services.AddWelkinTokenSource(configuration.GetSection(section));
        }
        else
        {
            services.AddWelkinTokenSource(name, configuration.GetSection(section));
        }

        using ServiceProvider provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(
            $"{section}:VaultUri (environment variable {section.Replace(":", "__", StringComparison.Ordinal)}__VaultUri) is required and must be an absolute https URI",
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_setting_read_from_the_section_is_named_by_its_full_key()
    {
        IConfiguration configuration = Configuration(
            ("KeyVault:VaultUri", "https://tokens.vault.azure.net/"),
            ("KeyVault:SecretName", "bad name!"),
            ("KeyVault:RefreshBeforeExpiry", "00:00:20"),
            ("KeyVault:ErrorBackoff", "00:00:00"),
            ("KeyVault:VaultReadTimeout", "00:10:00"));
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(configuration.GetSection("KeyVault"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value);

        Assert.Equal(
            [
                "KeyVault:SecretName (environment variable KeyVault__SecretName) must be 1 to 127 letters, digits or dashes (default 'welkin-api-token').",
                "KeyVault:MinimumReadInterval (environment variable KeyVault__MinimumReadInterval) must be more than zero and at most KeyVault:RefreshBeforeExpiry.",
                "KeyVault:ErrorBackoff (environment variable KeyVault__ErrorBackoff) must be more than zero.",
                "KeyVault:VaultReadTimeout (environment variable KeyVault__VaultReadTimeout) must be more than zero and at most 5 minutes (default 30 seconds).",
            ],
            failure.Failures);
    }

    [Theory]
    [InlineData(true, "KeyVault:DisableChallengeResourceVerification=true (environment variable KeyVault__DisableChallengeResourceVerification)")]
    [InlineData(false, "the option DisableChallengeResourceVerification to true")]
    public async Task A_vault_whose_challenge_the_SDK_refuses_is_reported_as_an_authentication_failure_that_names_the_setting(bool fromConfiguration, string named)
    {
        // A vault on loopback answers the challenge for vault.azure.net, which the SDK refuses for a host outside it.
        using var vault = new VaultStubHandler(FakeVault.TokenValue("v1"), "v1", TimeProvider.System.GetUtcNow().AddHours(1));
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("key-vault-access-token", TimeProvider.System.GetUtcNow().AddHours(1)));
        void Configure(WelkinTokenSourceOptions options)
        {
            options.VaultUri = new Uri("https://127.0.0.1:40002/");
            options.Credential = credential.Object;
            options.ConfigureSecretClient = client => client.Transport = new HttpClientTransport(new HttpClient(vault));
        }

        var services = new ServiceCollection();
        if (fromConfiguration)
        {
            services.AddWelkinTokenSource(Configuration(("KeyVault:SecretName", "welkin-api-token")).GetSection("KeyVault"), Configure);
        }
        else
        {
            services.AddWelkinTokenSource(Configure);
        }

        await using ServiceProvider provider = services.BuildServiceProvider();

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => provider.GetRequiredService<IWelkinTokenSource>().GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.AuthenticationFailed, failure.Reason);
        Assert.Contains($"Against `welkin-token sandbox` or another emulator set {named}; never in Azure.", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, vault.SecretReads);
    }
}
