namespace WelkinTokenRefresher.Client.Tests;

public sealed class KeyVaultWelkinTokenSourceRefreshTests
{
    [Fact]
    public async Task RefreshReturnsTheCachedTokenWithoutReadingWhenItIsAlreadyNewerThanTheStaleVersion()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken cached = await fixture.WarmAsync("v2");
        fixture.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Same(cached, await fixture.Source.RefreshAsync("v1"));
        Assert.Equal(1, fixture.Vault.Reads);
    }

    [Fact]
    public async Task RefreshOfAVersionReadMomentsAgoDoesNotReadAgain()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken cached = await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(29));

        Assert.Same(cached, await fixture.Source.RefreshAsync("v1"));
        Assert.Equal(1, fixture.Vault.Reads);
    }

    [Fact]
    public async Task RefreshOfTheCachedVersionReadsTheVaultAndReturnsTheNewVersion()
    {
        var fixture = new TokenSourceFixture();
        await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(1));

        WelkinToken refreshed = await fixture.Source.RefreshAsync("v1");

        Assert.Equal("v2", refreshed.Version);
        Assert.Equal(2, fixture.Vault.Reads);
        Assert.Same(refreshed, await fixture.Source.GetTokenAsync());
    }

    [Fact]
    public async Task ABurstOfRefreshesForTheSameRejectedVersionReadsTheVaultOnce()
    {
        var fixture = new TokenSourceFixture();
        await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        // The vault still holds v1: every refresh after the first must be answered from the fresh read.
        WelkinToken[] answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => fixture.Source.RefreshAsync("v1").AsTask()));

        Assert.All(answers, answer => Assert.Equal("v1", answer.Version));
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task AFailedRefreshWhileTheCachedTokenIsValidReturnsItInsteadOfThrowing()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken cached = await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        fixture.Vault.Fails(503);

        Assert.Same(cached, await fixture.Source.RefreshAsync("v1"));
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task RefreshNeverReturnsAnExpiredCachedTokenEvenWhenItsVersionIsNewerThanTheRejectedOne()
    {
        var fixture = new TokenSourceFixture();
        await fixture.WarmAsync("v2");
        fixture.Time.Advance(TimeSpan.FromHours(1));
        fixture.Vault.Holds("v3", fixture.Time.GetUtcNow().AddHours(1));

        WelkinToken refreshed = await fixture.Source.RefreshAsync("v1");

        Assert.Equal("v3", refreshed.Version);
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task RefreshWithoutARejectedVersionReadsOnceTheMinimumReadIntervalHasPassed()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken cached = await fixture.WarmAsync("v1");
        Assert.Same(cached, await fixture.Source.RefreshAsync(null));
        Assert.Equal(1, fixture.Vault.Reads);

        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(1));

        Assert.Equal("v2", (await fixture.Source.RefreshAsync(null)).Version);
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task RefreshOnAColdCacheReadsTheVault()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddHours(1));

        Assert.Equal("v1", (await fixture.Source.RefreshAsync("v0")).Version);
        Assert.Equal(1, fixture.Vault.Reads);
    }
}
