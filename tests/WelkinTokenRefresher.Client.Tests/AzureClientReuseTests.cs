using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// An application that registers its Azure clients with <c>AddAzureClients</c> has its SecretClient (for the token vault)
/// or at least its credential reused; settings made on the token source in code win.
/// </summary>
public sealed class AzureClientReuseTests
{
    private static readonly Uri TokenVault = new("https://token-vault.vault.azure.net/");
    private static readonly Uri OtherVault = new("https://other-vault.vault.azure.net/");

    private static VaultStubHandler NewVault() => new(FakeVault.TokenValue("v1"), "v1", TimeProvider.System.GetUtcNow().AddHours(1));

    private static Mock<TokenCredential> NewCredential()
    {
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("key-vault-access-token", TimeProvider.System.GetUtcNow().AddHours(1)));
        return credential;
    }

    private static Action<SecretClientOptions> Through(VaultStubHandler vault) => options =>
    {
        options.DisableChallengeResourceVerification = true;
        options.Transport = new HttpClientTransport(new HttpClient(vault));
    };

    private static void VerifyUsed(Mock<TokenCredential> credential) =>
        credential.Verify(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()), Times.AtLeastOnce());

    private static async Task<WelkinToken> ReadTokenAsync(IServiceCollection services)
    {
        await using ServiceProvider provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<IWelkinTokenSource>().GetTokenAsync();
    }

    [Fact]
    public async Task TheApplicationsSecretClientForTheTokenVaultIsReusedWithItsCredentialAndTransport()
    {
        using VaultStubHandler vault = NewVault();
        Mock<TokenCredential> credential = NewCredential();
        var services = new ServiceCollection();
        services.AddAzureClients(clients =>
        {
            clients.AddSecretClient(TokenVault).ConfigureOptions(Through(vault));
            clients.UseCredential(credential.Object);
        });
        services.AddWelkinTokenSource(TokenVault);

        WelkinToken token = await ReadTokenAsync(services);

        Assert.Equal("v1", token.Version);
        Assert.Equal(1, vault.SecretReads);
        VerifyUsed(credential);
    }

    [Fact]
    public async Task ASecretClientForAnotherVaultIsNotUsedButTheApplicationsCredentialIs()
    {
        using VaultStubHandler tokenVault = NewVault();
        using VaultStubHandler otherVault = NewVault();
        Mock<TokenCredential> credential = NewCredential();
        var services = new ServiceCollection();
        services.AddAzureClients(clients =>
        {
            clients.AddSecretClient(OtherVault).ConfigureOptions(Through(otherVault));
            clients.UseCredential(credential.Object);
        });
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = TokenVault;
            options.ConfigureSecretClient = Through(tokenVault);
        });

        WelkinToken token = await ReadTokenAsync(services);

        Assert.Equal("v1", token.Version);
        Assert.Equal((1, 0), (tokenVault.SecretReads, otherVault.SecretReads));
        VerifyUsed(credential);
    }

    [Fact]
    public async Task AnApplicationWithAzureClientsButNoSecretClientLendsItsCredential()
    {
        using VaultStubHandler vault = NewVault();
        Mock<TokenCredential> credential = NewCredential();
        var services = new ServiceCollection();
        services.AddAzureClients(clients => clients.UseCredential(credential.Object));
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = TokenVault;
            options.ConfigureSecretClient = Through(vault);
        });

        WelkinToken token = await ReadTokenAsync(services);

        Assert.Equal("v1", token.Version);
        Assert.Equal(1, vault.SecretReads);
        VerifyUsed(credential);
    }

    [Fact]
    public async Task ACredentialAndClientOptionsSetInCodeWinOverTheApplicationsRegistration()
    {
        using VaultStubHandler registeredVault = NewVault();
        using VaultStubHandler ownVault = NewVault();
        Mock<TokenCredential> registeredCredential = NewCredential();
        Mock<TokenCredential> ownCredential = NewCredential();
        var services = new ServiceCollection();
        services.AddAzureClients(clients =>
        {
            clients.AddSecretClient(TokenVault).ConfigureOptions(Through(registeredVault));
            clients.UseCredential(registeredCredential.Object);
        });
        services.AddWelkinTokenSource(options =>
        {
            options.VaultUri = TokenVault;
            options.Credential = ownCredential.Object;
            options.ConfigureSecretClient = Through(ownVault);
        });

        WelkinToken token = await ReadTokenAsync(services);

        Assert.Equal("v1", token.Version);
        Assert.Equal((1, 0), (ownVault.SecretReads, registeredVault.SecretReads));
        VerifyUsed(ownCredential);
        registeredCredential.VerifyNoOtherCalls();
    }
}
