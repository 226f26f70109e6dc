using WelkinTokenRefresher.TestSupport.KeyVault;
using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Client.Tests;

public sealed class KeyVaultWelkinTokenSourceCachingTests
{
    [Fact]
    public async Task ColdCacheReadsTheVaultAndReturnsTheSecret()
    {
        var fixture = new TokenSourceFixture();
        DateTimeOffset expiresOn = fixture.Time.GetUtcNow().AddHours(1);
        fixture.Vault.Holds("v1", expiresOn);

        WelkinToken token = await fixture.Source.GetTokenAsync();

        Assert.Equal(new WelkinToken(FakeVault.TokenValue("v1"), expiresOn, "v1"), token);
        Assert.Equal(1, fixture.Vault.Reads);
    }

    [Fact]
    public async Task ServesTheCachedTokenWithoutReadingUntilTheRefreshWindow()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken first = await fixture.WarmAsync();
        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(2));

        // One hour token, refresh 5 minutes before expiry: 55 minutes minus a tick is still the cached window.
        fixture.Time.Advance(TimeSpan.FromMinutes(55) - TimeSpan.FromTicks(1));
        ValueTask<WelkinToken> cached = fixture.Source.GetTokenAsync();

        Assert.True(cached.IsCompletedSuccessfully);
        Assert.Same(first, await cached);
        Assert.Equal(1, fixture.Vault.Reads);
    }

    [Fact]
    public async Task InsideTheRefreshWindowOneCallerStartsABackgroundReadAndEveryoneGetsTheCachedTokenMeanwhile()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken first = await fixture.WarmAsync();
        var gate = fixture.Vault.HoldsReadsOpen();
        fixture.Time.Advance(TimeSpan.FromMinutes(56));

        ValueTask<WelkinToken>[] duringRead = Enumerable.Range(0, 10).Select(_ => fixture.Source.GetTokenAsync()).ToArray();

        Assert.All(duringRead, call => Assert.True(call.IsCompletedSuccessfully, "callers in the refresh window must not wait for the vault"));
        foreach (ValueTask<WelkinToken> call in duringRead)
        {
            Assert.Same(first, await call);
        }

        Assert.Equal(2, fixture.Vault.Reads);

        DateTimeOffset newExpiry = fixture.Time.GetUtcNow().AddHours(1);
        await FakeVault.ReleaseAsync(gate, FakeVault.Secret("v2", newExpiry));

        WelkinToken refreshed = await fixture.Source.GetTokenAsync();
        Assert.Equal("v2", refreshed.Version);
        Assert.Equal(newExpiry, refreshed.ExpiresOn);
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task AThousandConcurrentCallersOnAColdCacheCauseExactlyOneRead()
    {
        var fixture = new TokenSourceFixture();
        var gate = fixture.Vault.HoldsReadsOpen();
        var calls = new Task<WelkinToken>[1000];
        using var start = new Barrier(4);

        // Four threads start together and each issues 250 calls while the single read is held open.
        Task[] callers = Enumerable.Range(0, 4).Select(thread => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (int i = 0; i < 250; i++)
                {
                    calls[(thread * 250) + i] = fixture.Source.GetTokenAsync().AsTask();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(callers);

        Assert.All(calls, call => Assert.False(call.IsCompleted));
        await FakeVault.ReleaseAsync(gate, FakeVault.Secret("v1", fixture.Time.GetUtcNow().AddHours(1)));
        WelkinToken[] tokens = await Task.WhenAll(calls);

        Assert.Equal(1, fixture.Vault.Reads);
        Assert.All(tokens, token => Assert.Same(tokens[0], token));
    }

    [Fact]
    public async Task ACallerThatCancelsStopsWaitingWithoutFailingTheSharedRead()
    {
        var fixture = new TokenSourceFixture();
        var gate = fixture.Vault.HoldsReadsOpen();
        using var cancellation = new CancellationTokenSource();

        Task<WelkinToken> cancelled = fixture.Source.GetTokenAsync(cancellation.Token).AsTask();
        Task<WelkinToken> patient = fixture.Source.GetTokenAsync().AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await FakeVault.ReleaseAsync(gate, FakeVault.Secret("v1", fixture.Time.GetUtcNow().AddHours(1)));
        Assert.Equal("v1", (await patient).Version);
        Assert.Equal(1, fixture.Vault.Reads);
    }

    [Fact]
    public async Task AnExpiredCachedTokenIsNeverServedAndTheCallerWaitsForTheRead()
    {
        var fixture = new TokenSourceFixture();
        await fixture.WarmAsync();
        var gate = fixture.Vault.HoldsReadsOpen();
        fixture.Time.Advance(TimeSpan.FromHours(1));

        ValueTask<WelkinToken> call = fixture.Source.GetTokenAsync();

        Assert.False(call.IsCompleted);
        await FakeVault.ReleaseAsync(gate, FakeVault.Secret("v2", fixture.Time.GetUtcNow().AddHours(1)));
        Assert.Equal("v2", (await call).Version);
    }

    [Fact]
    public async Task ATokenReadAlreadyInsideTheRefreshWindowIsReadAgainAtMostOncePerMinimumReadInterval()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddMinutes(4));
        await fixture.Source.GetTokenAsync();

        for (int second = 0; second < 29; second++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            await fixture.Source.GetTokenAsync();
        }

        Assert.Equal(1, fixture.Vault.Reads);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await fixture.Source.GetTokenAsync();
        Assert.Equal(2, fixture.Vault.Reads);
        Assert.Contains(fixture.Logs.GetSnapshot(), log => log.Level == LogLevel.Warning && log.Message.Contains("/api/token/status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASimulatedDayAgainstARefresherThatWritesEveryFiftyMinutesCostsAtMostTwoReadsPerHour()
    {
        var fixture = new TokenSourceFixture();
        DateTimeOffset firstWrite = TokenSourceFixture.Start.AddMinutes(-20);
        var refresherWrite = TimeSpan.FromMinutes(50);

        // The refresher's vault: a new one-hour token every 50 minutes.
        fixture.Vault.Client.BeforeRead = _ =>
        {
            long written = (fixture.Time.GetUtcNow() - firstWrite).Ticks / refresherWrite.Ticks;
            DateTimeOffset issuedAt = firstWrite + (refresherWrite * written);
            if (fixture.Vault.Client.Latest?.Properties.Version != $"v{written}")
            {
                fixture.Vault.Client.Put(FakeVault.Secret($"v{written}", issuedAt.AddHours(1)).Value, $"v{written}");
            }

            return Task.CompletedTask;
        };

        var simulatedDay = TimeSpan.FromDays(1);
        var requestEvery = TimeSpan.FromSeconds(10);
        for (TimeSpan elapsed = TimeSpan.Zero; elapsed < simulatedDay; elapsed += requestEvery)
        {
            WelkinToken token = await fixture.Source.GetTokenAsync();
            Assert.True(token.ExpiresOn > fixture.Time.GetUtcNow(), "an expired token was served");
            fixture.Time.Advance(requestEvery);
        }

        Assert.InRange(fixture.Vault.Reads, 24, 48);
    }

    [Fact]
    public async Task TheTokenNeverPrintsThroughToString()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken token = await fixture.WarmAsync();

        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
        Assert.Contains("v1", token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Value, $"{token}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReReadingAnUnchangedSecretKeepsTheSameTokenInstance()
    {
        var fixture = new TokenSourceFixture();
        WelkinToken first = await fixture.WarmAsync("v1");
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Same(first, await fixture.Source.RefreshAsync("v1"));
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Theory]
    [InlineData("v2", 0)]
    [InlineData("v1", 1)]
    public async Task ReReadingAChangedSecretGivesANewTokenInstance(string version, int extraMinutesOfLife)
    {
        var fixture = new TokenSourceFixture();
        DateTimeOffset expiresOn = fixture.Time.GetUtcNow().AddHours(1);
        fixture.Vault.Holds("v1", expiresOn);
        WelkinToken first = await fixture.Source.GetTokenAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        fixture.Vault.Holds(version, expiresOn.AddMinutes(extraMinutesOfLife));

        WelkinToken second = await fixture.Source.RefreshAsync("v1");

        Assert.NotSame(first, second);
        Assert.Equal((version, expiresOn.AddMinutes(extraMinutesOfLife)), (second.Version, second.ExpiresOn));
    }

    [Fact]
    public async Task ReReadingTheSameVersionWithADifferentValueGivesTheNewValue()
    {
        var fixture = new TokenSourceFixture();
        DateTimeOffset expiresOn = fixture.Time.GetUtcNow().AddHours(1);
        fixture.Vault.Holds("v1", expiresOn);
        WelkinToken first = await fixture.Source.GetTokenAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var changed = FakeVault.Secret("v1", expiresOn);
        fixture.Vault.Client.ReadAnswer = () => Azure.Response.FromValue(
            Azure.Security.KeyVault.Secrets.SecretModelFactory.KeyVaultSecret(changed.Value.Properties, "another-value"), new StatusOnlyResponse(200));

        WelkinToken second = await fixture.Source.RefreshAsync("v1");

        Assert.Equal("another-value", second.Value);
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public async Task EveryReadLogsOneLineAndATokenReadAtTheRefreshWindowWarns(int secondsToExpiry, bool warns)
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddSeconds(secondsToExpiry));

        await fixture.Source.GetTokenAsync();

        var logged = Assert.Single(fixture.Logs.GetSnapshot());
        Assert.Equal(warns ? (2, LogLevel.Warning) : (1, LogLevel.Debug), (logged.Id.Id, logged.Level));
    }
}
