using WelkinTokenRefresher.TestSupport.KeyVault;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Client.Tests;

public sealed class KeyVaultWelkinTokenSourceFailureTests
{
    [Theory]
    [InlineData(404, "SecretNotFound", WelkinTokenUnavailableReason.SecretNotFound, "is the secret name right")]
    [InlineData(403, "Forbidden", WelkinTokenUnavailableReason.Forbidden, "Key Vault Secrets User")]
    [InlineData(403, "SecretDisabled", WelkinTokenUnavailableReason.Disabled, "/api/token/status")]
    [InlineData(401, "Unauthorized", WelkinTokenUnavailableReason.AuthenticationFailed, "managed identity")]
    [InlineData(429, "Throttled", WelkinTokenUnavailableReason.Throttled, "4,000 transactions")]
    [InlineData(500, "InternalServerError", WelkinTokenUnavailableReason.VaultUnavailable, "HTTP 500")]
    [InlineData(503, "ServiceUnavailable", WelkinTokenUnavailableReason.VaultUnavailable, "HTTP 503")]
    [InlineData(0, null, WelkinTokenUnavailableReason.VaultUnavailable, "no response")]
    public async Task AVaultFailureWithNoCachedTokenThrowsTheReasonAndWhatToDo(
        int status, string? errorCode, WelkinTokenUnavailableReason reason, string advice)
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Fails(status, errorCode);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(reason, failure.Reason);
        Assert.Contains(advice, failure.Message, StringComparison.Ordinal);
        Assert.Contains(FakeVault.SecretName, failure.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Logs.GetSnapshot(), log => log.Level == LogLevel.Error);
    }

    [Fact]
    public async Task ACredentialThatCannotAuthenticateIsReportedAsAuthenticationFailed()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Throws(new CredentialUnavailableException("No managed identity endpoint found."));

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.AuthenticationFailed, failure.Reason);
        Assert.IsType<CredentialUnavailableException>(failure.InnerException);
    }

    [Fact]
    public async Task AnExpiredSecretInTheVaultThrowsExpiredAndPointsAtTheRefresher()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow());

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.Expired, failure.Reason);
        Assert.Contains("refresher is failing", failure.Message, StringComparison.Ordinal);
        Assert.Contains("/api/token/status", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisabledSecretThrowsDisabled()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddHours(1), enabled: false);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.Disabled, failure.Reason);
    }

    [Fact]
    public async Task ASecretReadAsDisabledThrowsDisabled()
    {
        // A vault that serves a disabled version's attributes instead of refusing the read (as the SDK's model allows).
        var fixture = new TokenSourceFixture();
        var disabled = FakeVault.Secret("v1", fixture.Time.GetUtcNow().AddHours(1), enabled: false);
        fixture.Vault.Client.ReadAnswer = () => disabled;

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.Disabled, failure.Reason);
    }

    [Fact]
    public async Task ASecretWithoutExpiryWasNotWrittenByTheRefresherAndIsRejected()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddHours(1), withExpiry: false);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.InvalidSecret, failure.Reason);
    }

    [Fact]
    public async Task AFailedRefreshServesTheStillValidCachedTokenWarnsAndReadsAgainOnlyAfterTheInterval()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken cached = await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(56));
        fixture.Vault.Fails(503, "ServiceUnavailable");

        Assert.Same(cached, await fixture.Source.GetTokenAsync());
        Assert.Equal(2, fixture.Vault.Reads);
        Assert.Contains(fixture.Logs.GetSnapshot(), log => log.Level == LogLevel.Warning && log.Message.Contains("serving the cached version v1", StringComparison.Ordinal));

        fixture.Time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Same(cached, await fixture.Source.GetTokenAsync());
        Assert.Equal(2, fixture.Vault.Reads);
        fixture.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Same(cached, await fixture.Source.GetTokenAsync());
        Assert.Equal(3, fixture.Vault.Reads);

        // Recovery serves the new version.
        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await fixture.Source.GetTokenAsync();
        Assert.Equal("v2", (await fixture.Source.GetTokenAsync()).Version);
    }

    [Fact]
    public async Task TheBackoffStopsAtMaxErrorBackoff()
    {
        var fixture = new TokenSourceFixture(options =>
        {
            options.ErrorBackoff = TimeSpan.FromSeconds(40);
            options.MaxErrorBackoff = TimeSpan.FromSeconds(50);
        });
        await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(55));
        fixture.Vault.Fails(429);

        await fixture.Source.GetTokenAsync(); // read 2 fails: 40 s
        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        await fixture.Source.GetTokenAsync(); // read 3 fails: 80 s capped at 50 s
        fixture.Time.Advance(TimeSpan.FromSeconds(50) - TimeSpan.FromTicks(1));
        await fixture.Source.GetTokenAsync();
        Assert.Equal(3, fixture.Vault.Reads);
        fixture.Time.Advance(TimeSpan.FromTicks(1));
        await fixture.Source.GetTokenAsync(); // read 4

        Assert.Equal(4, fixture.Vault.Reads);
    }

    [Fact]
    public async Task OnceTheCachedTokenExpiresAFailingVaultThrowsInsteadOfServingIt()
    {
        var fixture = new TokenSourceFixture();
        await fixture.WarmAsync();
        fixture.Vault.Fails(403, "Forbidden");
        fixture.Time.Advance(TimeSpan.FromHours(1));

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.Forbidden, failure.Reason);
    }

    [Fact]
    public async Task TheTokenNeverAppearsInLogsOrExceptionMessages()
    {
        var fixture = new TokenSourceFixture();
        var messages = new List<string>();
        await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(56));
        fixture.Vault.Fails(500);
        await fixture.Source.GetTokenAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(10));
        foreach (int status in new[] { 404, 403, 429, 503 })
        {
            fixture.Time.Advance(TimeSpan.FromMinutes(2));
            fixture.Vault.Fails(status);
            messages.Add((await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask())).ToString());
        }

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow());
        messages.Add((await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask())).ToString());
        messages.Add((await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask())).ToString());

        Assert.Equal(7, fixture.Vault.Reads);
        Assert.NotEmpty(fixture.Logs.GetSnapshot());
        Assert.All(fixture.LoggedText().Concat(messages), text =>
            Assert.DoesNotContain("secret-token-", text, StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidOptionsAreRejectedWithEveryProblemListed()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => new TokenSourceFixture(options =>
        {
            options.VaultUri = new Uri("http://not-https.example/");
            options.SecretName = "bad name!";
            options.RefreshBeforeExpiry = TimeSpan.Zero;
        }));

        Assert.Contains(failure.Failures, message => message.Contains("VaultUri", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, message => message.Contains("SecretName", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, message => message.Contains("RefreshBeforeExpiry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASecretWithoutAValueIsRejectedAsInvalidAndSaysSo()
    {
        var fixture = new TokenSourceFixture();
        var secret = FakeVault.Secret("v1", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Vault.Client.ReadAnswer = () => Azure.Response.FromValue(
            Azure.Security.KeyVault.Secrets.SecretModelFactory.KeyVaultSecret(secret.Value.Properties, string.Empty), new StatusOnlyResponse(200));

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.InvalidSecret, failure.Reason);
        Assert.Contains($"secret '{FakeVault.SecretName}' in Key Vault {FakeVault.VaultUri} has no value. It was not written by the WelkinTokenRefresher", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecretWithoutExpirySaysWhatIsMissing()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddHours(1), withExpiry: false);

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Contains("has no expiry date (ExpiresOn)", failure.Message, StringComparison.Ordinal);
    }
}
