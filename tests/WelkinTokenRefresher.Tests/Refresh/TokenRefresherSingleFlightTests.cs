using System.Reflection;
using Moq;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>Concurrent refreshes in one process share one Welkin call.</summary>
public sealed class TokenRefresherSingleFlightTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly MockedEngine _engine = new();
    private readonly TaskCompletionSource<IssuedToken> _welkinAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TokenRefresherSingleFlightTests()
    {
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>())).Returns(() => _welkinAnswer.Task);
        _engine.Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IssuedToken t, CancellationToken _) => MockedEngine.Stored("v-new", t.IssuedAt, t.ExpiresAt));
    }

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Callers_arriving_while_a_refresh_runs_join_it()
    {
        _engine.VaultHolds(VaultReading.Missing);

        // The vault answers at once, so each call reaches the single flight before the next one starts.
        var calls = Enumerable.Range(0, 25)
            .Select(i => _engine.Refresher.RefreshAsync(i % 2 == 0 ? RefreshTrigger.OnDemand : RefreshTrigger.Schedule, force: i % 3 == 1, CancellationToken.None))
            .ToList();
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        Assert.Equal(1, _engine.WelkinCalls);

        _welkinAnswer.SetResult(_engine.Issued());
        var outcomes = await Task.WhenAll(calls).WaitAsync(Guard);

        Assert.Equal(1, _engine.WelkinCalls);
        Assert.Equal(1, _engine.VaultWrites);
        Assert.All(outcomes, o =>
        {
            Assert.Equal(RefreshStatus.Succeeded, o.Status);
            Assert.True(o.Refreshed);
            Assert.Equal("v-new", o.Token?.Version);
        });
        Assert.Equal(RefreshReasons.NoToken, outcomes[0].Reason);
        Assert.All(outcomes.Skip(1), o => Assert.Equal(RefreshReasons.RefreshedConcurrently, o.Reason));
        Assert.True(_engine.Logged(1002));
    }

    [Fact]
    public async Task The_shared_refresh_starts_after_the_in_process_lock_is_left()
    {
        _engine.VaultHolds(VaultReading.Missing);
        var refresher = Assert.IsType<TokenRefresher>(_engine.Refresher);
        var sync = Assert.IsType<Lock>(typeof(TokenRefresher).GetField("_sync", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(refresher));
        bool? lockHeldWhenWelkinWasCalled = null;
        // Everything up to the refresh's first real await runs on the starting caller's thread: the Welkin call is part of it here.
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                lockHeldWhenWelkinWasCalled = sync.IsHeldByCurrentThread;
                return _welkinAnswer.Task;
            });

        var call = refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        _welkinAnswer.SetResult(_engine.Issued());
        await call.WaitAsync(Guard);

        Assert.False(lockHeldWhenWelkinWasCalled);
    }

    [Fact]
    public async Task Many_concurrent_callers_on_the_thread_pool_make_one_welkin_call()
    {
        const int callers = 64;
        StoredToken? written = null;
        var reads = 0;
        var allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _engine.Vault.Setup(v => v.ReadCurrentAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            if (Interlocked.Increment(ref reads) == callers)
            {
                allRead.TrySetResult();
            }

            return Volatile.Read(ref written) is { } fresh ? VaultReading.Present(fresh) : VaultReading.Missing;
        });
        _engine.Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IssuedToken t, CancellationToken _) =>
            {
                var stored = MockedEngine.Stored("v-new", t.IssuedAt, t.ExpiresAt);
                Volatile.Write(ref written, stored);
                return stored;
            });

        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, callers)
            .Select(_ => Task.Run(() =>
            {
                start.Wait();
                return _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
            }))
            .ToList();
        start.Set();
        await allRead.Task.WaitAsync(Guard);
        _welkinAnswer.SetResult(_engine.Issued());
        var outcomes = await Task.WhenAll(calls).WaitAsync(Guard);

        Assert.Equal(1, _engine.WelkinCalls);
        Assert.Equal(1, _engine.VaultWrites);
        Assert.All(outcomes, o =>
        {
            Assert.Equal(RefreshStatus.Succeeded, o.Status);
            Assert.Equal("v-new", o.Token?.Version);
        });
    }

    [Fact]
    public async Task A_caller_whose_read_predates_a_completed_refresh_does_not_start_another()
    {
        var staleRead = new TaskCompletionSource<VaultReading>(TaskCreationOptions.RunContinuationsAsynchronously);
        _engine.Vault.SetupSequence(v => v.ReadCurrentAsync(It.IsAny<CancellationToken>()))
            .Returns(staleRead.Task)
            .ReturnsAsync(VaultReading.Missing);

        // B reads first but its answer (the vault before any refresh) arrives late.
        var late = _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _welkinAnswer.SetResult(_engine.Issued());
        var first = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None).WaitAsync(Guard);
        Assert.False(late.IsCompleted);

        staleRead.SetResult(VaultReading.Missing);
        var second = await late.WaitAsync(Guard);

        Assert.Equal(1, _engine.WelkinCalls);
        Assert.Equal(1, _engine.VaultWrites);
        Assert.Equal(RefreshReasons.NoToken, first.Reason);
        Assert.Equal(RefreshStatus.Succeeded, second.Status);
        Assert.True(second.Refreshed);
        Assert.Equal(RefreshReasons.RefreshedConcurrently, second.Reason);
        Assert.Equal(first.Token, second.Token);
    }

    [Fact]
    public async Task Joined_callers_share_a_failure_too_and_nothing_is_written()
    {
        _engine.VaultHolds(VaultReading.Missing);
        var calls = Enumerable.Range(0, 5).Select(_ => _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None)).ToList();

        _welkinAnswer.SetException(new WelkinTokenException(WelkinFailureKind.Transient, "down"));
        var outcomes = await Task.WhenAll(calls).WaitAsync(Guard);

        Assert.Equal(1, _engine.WelkinCalls);
        Assert.Equal(0, _engine.VaultWrites);
        Assert.All(outcomes, o => Assert.Equal(RefreshStatus.WelkinFailed, o.Status));
    }

    [Fact]
    public async Task A_waiting_caller_that_cancels_does_not_cancel_the_shared_refresh()
    {
        _engine.VaultHolds(VaultReading.Missing);
        using var cancel = new CancellationTokenSource();
        var owner = _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        var impatient = _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.WaitAsync(Guard));
        _welkinAnswer.SetResult(_engine.Issued());
        var outcome = await owner.WaitAsync(Guard);

        Assert.Equal(RefreshStatus.Succeeded, outcome.Status);
        Assert.Equal(1, _engine.VaultWrites);
    }
}
