using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>Every public entry point names the argument that is missing, instead of failing later with a NullReferenceException.</summary>
public sealed class PublicApiArgumentTests
{
    private static readonly IOptions<WelkinTokenSourceOptions> ValidOptions =
        Options.Create(new WelkinTokenSourceOptions { VaultUri = FakeVault.VaultUri });

    public static TheoryData<string, Action> NullArguments => new()
    {
        { "client", () => _ = new KeyVaultWelkinTokenSource(null!, ValidOptions, TimeProvider.System, NullLogger<KeyVaultWelkinTokenSource>.Instance) },
        { "options", () => _ = new KeyVaultWelkinTokenSource(new Mock<SecretClient>().Object, null!, TimeProvider.System, NullLogger<KeyVaultWelkinTokenSource>.Instance) },
        { "timeProvider", () => _ = new KeyVaultWelkinTokenSource(new Mock<SecretClient>().Object, ValidOptions, null!, NullLogger<KeyVaultWelkinTokenSource>.Instance) },
        { "logger", () => _ = new KeyVaultWelkinTokenSource(new Mock<SecretClient>().Object, ValidOptions, TimeProvider.System, null!) },
        { "tokenSource", () => _ = new WelkinBearerTokenHandler(null!) },
        { "builder", () => WelkinBearerTokenHttpClientBuilderExtensions.AddWelkinBearerToken(null!) },
        { "options", () => new WelkinTokenSourceOptionsValidator().Validate(null, null!) },
        { "vaultUri", () => new ServiceCollection().AddWelkinTokenSource((Uri)null!) },
        { "secretName", () => new ServiceCollection().AddWelkinTokenSource(FakeVault.VaultUri, null!) },
        { "configuration", () => new ServiceCollection().AddWelkinTokenSource((IConfiguration)null!) },
        { "services", () => WelkinTokenSourceServiceCollectionExtensions.AddWelkinTokenSource(null!, _ => { }) },
        { "configure", () => new ServiceCollection().AddWelkinTokenSource((Action<WelkinTokenSourceOptions>)null!) },
        { "name", () => new ServiceCollection().AddWelkinTokenSource((string)null!, (Action<WelkinTokenSourceOptions>)(_ => { })) },
        { "vaultUri", () => new ServiceCollection().AddWelkinTokenSource("live", (Uri)null!, "welkin-api-token-live") },
        { "secretName", () => new ServiceCollection().AddWelkinTokenSource("live", FakeVault.VaultUri, null!) },
        { "configuration", () => new ServiceCollection().AddWelkinTokenSource("live", (IConfiguration)null!) },
        { "name", () => new ServiceCollection().AddHttpClient("welkin").AddWelkinBearerToken(null!) },
    };

    [Fact]
    public void ABlankNameIsRefusedByName()
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new ServiceCollection().AddWelkinTokenSource(" ", _ => { })).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHttpClient("welkin").AddWelkinBearerToken(" ")).ParamName);
    }

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void ANullArgumentIsRefusedByName(string parameter, Action call)
    {
        var refused = Assert.Throws<ArgumentNullException>(call);

        Assert.Equal(parameter, refused.ParamName);
    }

    [Fact]
    public void TheCredentialOverloadPassesTheCredentialThrough()
    {
        var credential = Mock.Of<TokenCredential>();
        var services = new ServiceCollection();
        services.AddWelkinTokenSource(FakeVault.VaultUri, "other-secret", credential);
        using ServiceProvider provider = services.BuildServiceProvider();

        WelkinTokenSourceOptions options = provider.GetRequiredService<IOptions<WelkinTokenSourceOptions>>().Value;
        Assert.Same(credential, options.Credential);
        Assert.Equal("other-secret", options.SecretName);
    }
}
