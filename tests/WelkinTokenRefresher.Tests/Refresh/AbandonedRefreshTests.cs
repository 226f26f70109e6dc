using Moq;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>
/// The shared refresh outlives any one caller giving up, but not all of them: once every caller has cancelled (the host
/// stopping an invocation, say), the Welkin request still waiting is cancelled and nothing is written.
/// </summary>
public sealed class AbandonedRefreshTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly MockedEngine _engine = new();
    private readonly List<CancellationToken> _welkinTokens = [];
    private readonly TaskCompletionSource<IssuedToken> _welkinAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AbandonedRefreshTests()
    {
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>())).Returns((CancellationToken token) =>
        {
            _welkinTokens.Add(token);
            return _welkinAnswer.Task.WaitAsync(token);
        });
        _engine.Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IssuedToken t, CancellationToken _) => MockedEngine.Stored("v-new", t.IssuedAt, t.ExpiresAt));
        _engine.VaultHolds(VaultReading.Missing);
    }

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task When_its_only_caller_gives_up_the_welkin_request_is_cancelled_nothing_is_written_and_the_next_caller_starts_afresh()
    {
        using var giveUp = new CancellationTokenSource();
        var abandoned = _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, giveUp.Token);
        Assert.Single(_welkinTokens);

        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Guard));
        Assert.True(_welkinTokens[0].IsCancellationRequested);
        _engine.Vault.Verify(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()), Times.Never);

        var next = _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        Assert.Equal(2, _welkinTokens.Count);
        Assert.False(_welkinTokens[1].IsCancellationRequested);
        _welkinAnswer.SetResult(_engine.Issued());
        Assert.Equal((RefreshStatus.Succeeded, true), ((await next.WaitAsync(Guard)).Status, (await next).Refreshed));
    }

    [Fact]
    public async Task While_one_caller_still_waits_the_request_goes_on_and_that_caller_gets_the_token()
    {
        using var giveUp = new CancellationTokenSource();
        var leaving = _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, giveUp.Token);
        var staying = _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        Assert.Single(_welkinTokens);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Guard));
        Assert.False(_welkinTokens[0].IsCancellationRequested);
        _welkinAnswer.SetResult(_engine.Issued());

        var outcome = await staying.WaitAsync(Guard);
        Assert.Equal((RefreshStatus.Succeeded, true, "v-new"), (outcome.Status, outcome.Refreshed, outcome.Token!.Version));
        Assert.Single(_welkinTokens);
    }

    [Fact]
    public async Task A_caller_after_an_abandoned_refresh_whose_request_does_not_stop_starts_its_own_rather_than_joining_it()
    {
        // The first request ignores its cancellation and never ends; the second is answered.
        var stuck = new TaskCompletionSource<IssuedToken>();
        var calls = 0;
        _engine.Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>())).Returns((CancellationToken token) =>
        {
            _welkinTokens.Add(token);
            return ++calls == 1 ? stuck.Task : Task.FromResult(_engine.Issued());
        });
        using var giveUp = new CancellationTokenSource();
        var abandoned = _engine.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, giveUp.Token);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Guard));

        var outcome = await _engine.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None).WaitAsync(Guard);

        Assert.Equal((RefreshStatus.Succeeded, true, RefreshReasons.NoToken), (outcome.Status, outcome.Refreshed, outcome.Reason));
        Assert.Equal(2, _welkinTokens.Count);
        Assert.True(_welkinTokens[0].IsCancellationRequested);
    }
}
