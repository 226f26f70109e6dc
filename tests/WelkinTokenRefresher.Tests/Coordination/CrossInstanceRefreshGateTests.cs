using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.TestSupport.Time;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Coordination;

/// <summary>
/// The gate's waiting and give-up logic on fake time, over an in-memory lease that behaves like the blob lease: how
/// often a waiter polls, when it gives up and what it answers, what it does once it gets the lease, and the request
/// budget all instances share. The clock is stepped to the gate's polls, never to Welkin's request timeouts, which a
/// call the stub answers at once could otherwise meet while its answer is still on its way up the HTTP pipeline.
/// </summary>
public sealed class CrossInstanceRefreshGateTests : IDisposable
{
    private readonly SteppingClock _clock = new(RefresherHarness.Start) { NeverStepTo = due => due >= new WelkinOptions().Timeout };
    private readonly InMemoryRefreshLeaseStore _lease;
    private readonly RefresherHarness _harness;

    public CrossInstanceRefreshGateTests()
    {
        _lease = new InMemoryRefreshLeaseStore(_clock);
        _harness = new RefresherHarness(services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
            s.Replace(ServiceDescriptor.Singleton<IRefreshLeaseStore>(_lease));
        });
        _harness.Vault.Seed("due-token", Now - TimeSpan.FromMinutes(55), Now + TimeSpan.FromMinutes(5));
        _harness.Welkin.Respond = _ => WelkinAnswers.Token("new-token", _clock.GetUtcNow().AddHours(1));
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    public void Dispose() => _harness.Dispose();

    /// <summary>
    /// Waits (in real time; the test's clock stands still) until the refresh has found the lease busy, so that what the
    /// other instance does next happens while this one polls rather than before it first asked.
    /// </summary>
    private async Task FoundBusyAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_lease.Attempts.Count == 0)
        {
            await Task.Delay(5, guard.Token);
        }
    }

    [Fact]
    public async Task A_waiter_polls_with_backoff_then_gives_up_after_twenty_seconds_with_429_refresh_in_progress()
    {
        var start = Now;
        _lease.TakenElsewhere(TimeSpan.FromHours(1));

        var outcome = await _clock.RunAsync(_harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None));

        // 100 ms doubling to 2 s, for as long as 20 s have not passed.
        double[] expected = [0, 0.1, 0.3, 0.7, 1.5, 3.1, 5.1, 7.1, 9.1, 11.1, 13.1, 15.1, 17.1, 19.1, 21.1];
        Assert.Equal(expected, _lease.Attempts.Select(a => Math.Round((a - start).TotalSeconds, 3)));
        Assert.Equal(RefreshStatus.Throttled, outcome.Status);
        Assert.False(outcome.Refreshed);
        Assert.Equal(RefreshReasons.RefreshInProgress, outcome.Reason);
        Assert.Equal("refresh-in-progress", outcome.Reason);
        Assert.Equal(RefreshReasons.RefreshInProgress, outcome.FailureCategory);
        Assert.Equal(CrossInstanceRefreshGate.MaxWait, outcome.RetryAfter);
        Assert.Equal("Another instance is refreshing the token and did not finish within 20 s; ask again shortly.", outcome.Message);
        Assert.Equal(0, _harness.Welkin.Attempts);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1103);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1104);
    }

    [Fact]
    public async Task A_dead_holders_lease_stops_refreshes_until_it_expires_then_the_next_one_refreshes()
    {
        _lease.TakenElsewhere(BlobRefreshLeaseStore.LeaseDuration);

        var during = await _clock.RunAsync(_harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None));
        Assert.Equal(RefreshReasons.RefreshInProgress, during.Reason);

        _clock.SetUtcNow(RefresherHarness.Start + BlobRefreshLeaseStore.LeaseDuration);
        var after = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Succeeded, true, RefreshReasons.RefreshAfterElapsed), (after.Status, after.Refreshed, after.Reason));
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.Equal(1, _lease.State.Attempts);
        Assert.Equal(after.Token!.Version, _lease.State.Version);
    }

    [Fact]
    public async Task A_waiter_that_gets_the_lease_after_another_instance_wrote_answers_with_that_token_and_calls_nobody()
    {
        _lease.TakenElsewhere(TimeSpan.FromHours(1));
        var refresh = _harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        await FoundBusyAsync();
        // The other instance writes a new version and releases while this one polls.
        var written = _harness.Vault.Seed("written-elsewhere", Now, Now.AddHours(1));
        _lease.ReleasedElsewhere(_lease.State with { Version = written.Properties.Version, Attempts = 1, LastStatus = RefreshStatus.Succeeded });

        var outcome = await _clock.RunAsync(refresh);

        Assert.Equal((RefreshStatus.Succeeded, true, RefreshReasons.RefreshedConcurrently), (outcome.Status, outcome.Refreshed, outcome.Reason));
        Assert.Equal(written.Properties.Version, outcome.Token!.Version);
        Assert.Equal(0, _harness.Welkin.Attempts);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1105);
    }

    [Theory]
    [InlineData(RefreshStatus.WelkinFailed, "welkin-unavailable", RefreshReasons.WelkinFailed, false)]
    [InlineData(RefreshStatus.Throttled, "rate-limited", RefreshReasons.RateLimited, true)]
    [InlineData(RefreshStatus.VaultFailed, "vault-forbidden", RefreshReasons.VaultFailed, false)]
    public async Task A_waiter_whose_holder_failed_answers_with_that_failure_instead_of_calling_again(
        RefreshStatus failed, string category, string reason, bool asksForTheGatesWait)
    {
        _lease.TakenElsewhere(TimeSpan.FromHours(1));
        var refresh = _harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        await FoundBusyAsync();
        _lease.ReleasedElsewhere(_lease.State with { Attempts = 1, LastStatus = failed, LastCategory = category });

        var outcome = await _clock.RunAsync(refresh);

        Assert.Equal((failed, false, reason, category), (outcome.Status, outcome.Refreshed, outcome.Reason, outcome.FailureCategory));
        Assert.Equal(asksForTheGatesWait ? CrossInstanceRefreshGate.MaxWait : null, outcome.RetryAfter);
        Assert.Equal($"The refresh another instance ran just now failed ({category}); this request shares its result. The next timer tick tries again.", outcome.Message);
        Assert.Equal("due-token", _harness.Vault.Latest!.Value);
        Assert.Equal(0, _harness.Welkin.Attempts);
    }

    [Fact]
    public async Task With_the_shared_limit_reached_in_the_last_five_minutes_no_request_is_sent_until_the_oldest_leaves()
    {
        // Ten requests (Welkin:MaxTokenRequestsPer5Minutes) by other instances, the oldest 4 min 59 s ago.
        var sent = Enumerable.Range(0, 10).Select(i => Now - TimeSpan.FromSeconds(299) + TimeSpan.FromSeconds(i)).ToList();
        _lease.ReleasedElsewhere(RefreshLockState.Empty with { Requests = sent });

        var outcome = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Throttled, false, RefreshReasons.RateLimited, "rate-limited"), (outcome.Status, outcome.Refreshed, outcome.Reason, outcome.FailureCategory));
        Assert.Equal(TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1), outcome.RetryAfter);
        Assert.Equal("The token requests shared by all instances of this app (Welkin:MaxTokenRequestsPer5Minutes) are used up for the current 5 minutes.", outcome.Message);
        Assert.Equal(0, _harness.Welkin.Attempts);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1106);
    }

    [Fact]
    public async Task One_request_under_the_shared_limit_lets_exactly_one_attempt_through_and_records_it()
    {
        var sent = Enumerable.Range(0, 9).Select(i => Now - TimeSpan.FromSeconds(200) + TimeSpan.FromSeconds(i)).ToList();
        _lease.ReleasedElsewhere(RefreshLockState.Empty with { Requests = sent });
        // Welkin fails: the client would retry twice, but the shared budget has room for one attempt only.
        _harness.Welkin.Respond = _ => WelkinAnswers.Status(System.Net.HttpStatusCode.ServiceUnavailable);

        var outcome = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.Equal((RefreshStatus.Throttled, RefreshReasons.RateLimited), (outcome.Status, outcome.Reason));
        Assert.Equal(sent[0] + TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1) - Now, outcome.RetryAfter);
        Assert.Contains("(Welkin:MaxTokenRequestsPer5Minutes) are used up; try again in 00:01:40", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(10, _lease.State.Requests.Count);
        Assert.Equal(RefreshStatus.Throttled, _lease.State.LastStatus);
        Assert.Equal(1, _lease.State.Attempts);
    }

    [Fact]
    public async Task Requests_older_than_five_minutes_no_longer_count_against_the_shared_limit()
    {
        var sent = Enumerable.Range(0, 10).Select(i => Now - TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(i)).ToList();
        _lease.ReleasedElsewhere(RefreshLockState.Empty with { Requests = sent });

        var outcome = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Succeeded, true), (outcome.Status, outcome.Refreshed));
        Assert.Equal(1, _harness.Welkin.Attempts);
        // Only the request just sent is kept: the old ones have left the window.
        Assert.Single(_lease.State.Requests);
    }

    [Fact]
    public async Task A_request_sent_exactly_five_minutes_ago_still_counts_and_leaves_one_tick_later()
    {
        // The in-process guard's rule: a request counts for every five minutes that contain it.
        var sent = Enumerable.Range(0, 10).Select(i => Now - TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(i)).ToList();
        _lease.ReleasedElsewhere(RefreshLockState.Empty with { Requests = sent });

        var atTheEdge = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _clock.Advance(TimeSpan.FromTicks(1));
        var after = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Throttled, TimeSpan.FromTicks(1)), (atTheEdge.Status, atTheEdge.RetryAfter));
        Assert.Equal((RefreshStatus.Succeeded, true), (after.Status, after.Refreshed));
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.Equal(10, _lease.State.Requests.Count);
    }

    [Fact]
    public async Task A_Welkin_block_in_the_shared_state_holds_refreshes_until_its_end_and_not_a_tick_longer()
    {
        var blockEnd = Now + TimeSpan.FromSeconds(90);
        _lease.ReleasedElsewhere(RefreshLockState.Empty with { BlockedUntil = blockEnd });

        var during = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        _clock.SetUtcNow(blockEnd);
        var atTheEnd = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Throttled, false, RefreshReasons.RateLimited, "rate-limited"), (during.Status, during.Refreshed, during.Reason, during.FailureCategory));
        Assert.Equal(TimeSpan.FromSeconds(90), during.RetryAfter);
        Assert.Equal("Welkin answered 429 Too Many Requests to an instance of this app recently; no token request is sent until its block passes.", during.Message);
        Assert.Single(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1106);
        Assert.Equal((RefreshStatus.Succeeded, true), (atTheEnd.Status, atTheEnd.Refreshed));
        Assert.Equal(1, _harness.Welkin.Attempts);
        // A refusal at the gate is no attempt: only the refresh that called Welkin counts.
        Assert.Equal(1, _lease.State.Attempts);
    }

    [Fact]
    public async Task A_lease_freed_by_expiry_with_an_older_failure_in_its_state_is_refreshed_rather_than_answered_with_that_failure()
    {
        // A holder died mid-refresh: its lease expires, the attempts it found stay as they were, and the failure they
        // record is not this waiter's answer.
        _lease.TakenElsewhere(TimeSpan.FromSeconds(5), RefreshLockState.Empty with { Attempts = 3, LastStatus = RefreshStatus.WelkinFailed, LastCategory = "welkin-unavailable" });

        var outcome = await _clock.RunAsync(_harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None));

        Assert.Equal((RefreshStatus.Succeeded, true, RefreshReasons.RefreshAfterElapsed), (outcome.Status, outcome.Refreshed, outcome.Reason));
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.Equal((4L, RefreshStatus.Succeeded, outcome.Token!.Version), (_lease.State.Attempts, _lease.State.LastStatus, _lease.State.Version));
    }

    [Theory]
    [InlineData("vault-read-fails")]
    [InlineData("written-token-expired")]
    [InlineData("vault-still-has-the-seen-version")]
    public async Task A_version_named_by_the_lock_that_the_vault_does_not_confirm_as_a_valid_new_token_is_refreshed_here(string elsewhere)
    {
        var seen = _harness.Vault.Latest!.Properties.Version;
        _lease.TakenElsewhere(TimeSpan.FromHours(1));
        var refresh = _harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);
        await FoundBusyAsync();
        var named = "version-not-in-the-vault";
        switch (elsewhere)
        {
            case "vault-read-fails":
                named = _harness.Vault.Seed("written-elsewhere", Now, Now.AddHours(1)).Properties.Version;
                _harness.Vault.FailNext(VaultOperation.Read, () => InMemorySecretClient.Failure(503, "ServiceUnavailable"));
                break;
            case "written-token-expired":
                named = _harness.Vault.Seed("expired-elsewhere", Now - TimeSpan.FromHours(2), Now - TimeSpan.FromMinutes(1)).Properties.Version;
                break;
        }

        _lease.ReleasedElsewhere(_lease.State with { Version = named, Attempts = 1, LastStatus = RefreshStatus.Succeeded });
        var outcome = await _clock.RunAsync(refresh);

        Assert.Equal((RefreshStatus.Succeeded, true, RefreshReasons.RefreshAfterElapsed), (outcome.Status, outcome.Refreshed, outcome.Reason));
        Assert.NotEqual(seen, outcome.Token!.Version);
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.Equal(outcome.Token.Version, _lease.State.Version);
        Assert.DoesNotContain(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1105);
    }

    [Fact]
    public async Task A_lock_naming_the_version_this_refresh_saw_costs_no_second_vault_read()
    {
        var seen = _harness.Vault.Latest!.Properties.Version;
        _lease.ReleasedElsewhere(RefreshLockState.Empty with { Version = seen, Attempts = 1, LastStatus = RefreshStatus.Succeeded });
        _harness.Vault.ResetCounters();

        var outcome = await _harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Succeeded, true), (outcome.Status, outcome.Refreshed));
        Assert.Equal((1, 1, 1), (_harness.Vault.Reads, _harness.Welkin.Attempts, _harness.Vault.Writes));
    }
}
