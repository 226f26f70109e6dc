
namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// The shared read always ends, within <see cref="WelkinTokenSourceOptions.VaultReadTimeout"/>, with a token or an exception,
/// and is always cleared so the next caller can start another.
/// </summary>
public sealed class KeyVaultWelkinTokenSourceBoundedReadTests
{
    // Only turns a hang into a failure; every test finishes long before it on the fake clock.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AVaultThatNeverAnswersFailsEveryWaitingCallerAfterVaultReadTimeoutAndTheFirstCallAfterTheIntervalReadsAgain()
    {
        var fixture = new TokenSourceFixture(options => options.VaultReadTimeout = TimeSpan.FromSeconds(20));
        fixture.Vault.HoldsReadsOpen();
        Task<WelkinToken>[] callers = [.. Enumerable.Range(0, 3).Select(_ => fixture.Source.GetTokenAsync().AsTask())];

        fixture.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.DoesNotContain(callers, caller => caller.IsCompleted);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));

        foreach (Task<WelkinToken> caller in callers)
        {
            var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => caller.WaitAsync(HangGuard));
            Assert.Equal(WelkinTokenUnavailableReason.VaultUnavailable, failure.Reason);
            Assert.Contains("no answer within 00:00:20 (option VaultReadTimeout)", failure.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, fixture.Vault.Reads);
        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(1));

        // The failure is remembered until MinimumReadInterval (30 s) has passed since the read began.
        fixture.Time.Advance(TimeSpan.FromSeconds(9));
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask().WaitAsync(HangGuard));
        Assert.Equal(1, fixture.Vault.Reads);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        WelkinToken token = await fixture.Source.GetTokenAsync().AsTask().WaitAsync(HangGuard);
        Assert.Equal("v2", token.Version);
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task TheVaultReadIsCancelledWhenItsTimeRunsOut()
    {
        var fixture = new TokenSourceFixture();
        CancellationToken readToken = default;
        fixture.Vault.Client.BeforeRead = token =>
        {
            readToken = token;
            return new TaskCompletionSource().Task;
        };
        Task<WelkinToken> caller = fixture.Source.GetTokenAsync().AsTask();

        Assert.False(readToken.IsCancellationRequested);
        fixture.Time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => caller.WaitAsync(HangGuard));
        Assert.True(readToken.IsCancellationRequested);
    }

    [Fact]
    public async Task WhileAValidTokenIsCachedAVaultThatNeverAnswersIsWaitedOutInTheBackgroundAndReadAgainOnlyAfterTheInterval()
    {
        var fixture = new TokenSourceFixture(options => options.VaultReadTimeout = TimeSpan.FromSeconds(10));
        await fixture.WarmAsync("v1");
        fixture.Time.Advance(TimeSpan.FromMinutes(56));
        fixture.Vault.HoldsReadsOpen();

        Assert.Equal("v1", (await fixture.Source.GetTokenAsync()).Version);
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => fixture.Logs.GetSnapshot().Any(log => log.Id.Id == 3));

        Assert.Equal("v1", (await fixture.Source.GetTokenAsync()).Version);
        Assert.Equal(2, fixture.Vault.Reads);
        fixture.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("v1", (await fixture.Source.GetTokenAsync()).Version);
        Assert.Equal(3, fixture.Vault.Reads);
    }

    [Fact]
    public async Task AVaultThatThrowsAnUnexpectedExceptionTypeFailsTheCallersAsVaultUnavailableAndTheFirstCallAfterTheIntervalReadsAgain()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Throws(new InvalidOperationException("The pipeline was disposed."));

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(
            () => fixture.Source.GetTokenAsync().AsTask().WaitAsync(HangGuard));

        Assert.Equal(WelkinTokenUnavailableReason.VaultUnavailable, failure.Reason);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Contains("InvalidOperationException", failure.Message, StringComparison.Ordinal);
        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("v2", (await fixture.Source.GetTokenAsync().AsTask().WaitAsync(HangGuard)).Version);
    }

    [Fact]
    public async Task AnAnswerThatBreaksTheReadAfterTheVaultCallStillCompletesAndClearsTheSharedRead()
    {
        // An answer without a secret makes the read fail outside the SDK call, with a NullReferenceException.
        var fixture = new TokenSourceFixture();
        fixture.Vault.AnswersWithoutASecret();

        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(
            () => fixture.Source.GetTokenAsync().AsTask().WaitAsync(HangGuard));
        Assert.Equal(WelkinTokenUnavailableReason.VaultUnavailable, failure.Reason);
        Assert.IsType<NullReferenceException>(failure.InnerException);

        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("v2", (await fixture.Source.GetTokenAsync().AsTask().WaitAsync(HangGuard)).Version);
        Assert.Equal(2, fixture.Vault.Reads);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (!condition())
        {
            await Task.Delay(10, guard.Token);
        }
    }
}
