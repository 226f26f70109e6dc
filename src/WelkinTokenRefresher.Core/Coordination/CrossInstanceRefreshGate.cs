using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// Single flight across instances. The refresh that takes the lease calls Welkin; the others wait briefly and answer
/// with its result. Without storage, or when it fails, the refresh goes ahead on the in-process single flight alone:
/// the lock may save a Welkin call, it must never cost a refresh.
/// </summary>
/// <remarks>
/// The vault is re-read after taking the lease only when the lock's state names a version other than the one this
/// refresh saw, so an uncontended cycle stays at one vault read, one Welkin call and one vault write.
/// </remarks>
internal sealed class CrossInstanceRefreshGate(
    IRefreshLeaseStore store,
    ITokenVault vault,
    TokenRequestBudget budget,
    IOptions<WelkinOptions> welkin,
    TimeProvider time,
    ILogger<CrossInstanceRefreshGate> logger)
{
    /// <summary>How long a refresh waits for another instance's; an HTTP caller is answered within about this.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="fetchAndStore"/> under the lease, or answers with another instance's result.</summary>
    /// <param name="seen">The token this refresh read from the vault before deciding to refresh.</param>
    public async Task<RefreshOutcome> RunAsync(StoredToken? seen, Func<Task<RefreshOutcome>> fetchAndStore)
    {
        var attempt = await store.TryAcquireAsync(vault.SecretName, CancellationToken.None);
        long? attemptsWhenBusy = null;
        if (attempt.Result == LeaseAttemptResult.Busy)
        {
            attemptsWhenBusy = attempt.State.Attempts;
            attempt = await WaitForLeaseAsync();
        }

        return attempt switch
        {
            { Result: LeaseAttemptResult.Unavailable } => await fetchAndStore(),
            { Lease: { } lease } => await RunHoldingAsync(lease, attempt.State, seen, attemptsWhenBusy, fetchAndStore),
            _ => StillBusy(seen),
        };
    }

    private async Task<LeaseAttempt> WaitForLeaseAsync()
    {
        CoordinationLog.WaitingForHolder(logger, welkin.Value.ClientName, vault.SecretName, MaxWait);
        var deadline = time.GetUtcNow() + MaxWait;
        var delay = FirstPoll;
        // Bounded by the deadline; each poll is one lease request, with backoff so waiters do not hammer storage.
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(delay, time);
            var attempt = await store.TryAcquireAsync(vault.SecretName, CancellationToken.None);
            if (attempt.Result != LeaseAttemptResult.Busy)
            {
                return attempt;
            }

            delay = delay * 2 < LongestPoll ? delay * 2 : LongestPoll;
        }

        return new LeaseAttempt(LeaseAttemptResult.Busy, RefreshLockState.Empty, null);
    }

    private async Task<RefreshOutcome> RunHoldingAsync(
        IRefreshLease lease, RefreshLockState state, StoredToken? seen, long? attemptsWhenBusy, Func<Task<RefreshOutcome>> fetchAndStore)
    {
        await using (lease)
        {
            if (await RefreshedElsewhereAsync(state, seen) is { } joined)
            {
                return joined;
            }

            // The holder this refresh waited for tried and failed: its failure is the answer, not a second attempt.
            if (attemptsWhenBusy is { } before && state.Attempts > before && state.LastStatus is { } status && status != RefreshStatus.Succeeded)
            {
                return FailedElsewhere(status, state.LastCategory, seen);
            }

            var now = time.GetUtcNow();
            var limit = welkin.Value.MaxTokenRequestsPer5Minutes;
            var recent = state.RequestsCountingAt(now).ToList();
            var retryAfter = recent.Count > 0 ? WelkinRateGuard.UntilLeft(recent[0], now) : WelkinRateGuard.Window;
            if (state.BlockedUntil is { } blockedUntil && blockedUntil > now)
            {
                retryAfter = blockedUntil - now;
                CoordinationLog.SharedBudgetSpent(logger, welkin.Value.ClientName, recent.Count, limit, retryAfter);
                return SharedLimit(seen, retryAfter, "Welkin answered 429 Too Many Requests to an instance of this app recently; no token request is sent until its block passes.");
            }

            if (recent.Count >= limit)
            {
                CoordinationLog.SharedBudgetSpent(logger, welkin.Value.ClientName, recent.Count, limit, retryAfter);
                return SharedLimit(seen, retryAfter, $"The token requests shared by all instances of this app ({welkin.Value.Keys.MaxTokenRequestsPer5Minutes}) are used up for the current 5 minutes.");
            }

            RefreshOutcome outcome;
            using (var scope = budget.Begin(limit - recent.Count, retryAfter))
            {
                outcome = await fetchAndStore();
                await lease.SaveAndReleaseAsync(state.After(outcome, scope.Sent, scope.BlockedUntil, time.GetUtcNow()));
            }

            return outcome;
        }
    }

    /// <summary>Another holder wrote a version this refresh has not seen: re-read, and answer with it if it is good.</summary>
    private async Task<RefreshOutcome?> RefreshedElsewhereAsync(RefreshLockState state, StoredToken? seen)
    {
        if (state.Version is null || state.Version == seen?.Version)
        {
            return null;
        }

        VaultReading reading;
        try
        {
            reading = await vault.ReadCurrentAsync(CancellationToken.None);
        }
        catch (TokenVaultException)
        {
            // The refresh itself will meet the same vault and report it properly.
            return null;
        }

        if (reading.Token is not { } fresh || fresh.Version == seen?.Version || !fresh.IsValidAt(time.GetUtcNow()))
        {
            return null;
        }

        CoordinationLog.RefreshedElsewhere(logger, welkin.Value.ClientName, vault.SecretName, fresh.Version);
        return new RefreshOutcome(RefreshStatus.Succeeded, true, RefreshReasons.RefreshedConcurrently, vault.SecretName, fresh);
    }

    private RefreshOutcome FailedElsewhere(RefreshStatus status, string? category, StoredToken? seen) => new(
        status,
        false,
        status switch
        {
            RefreshStatus.Throttled => RefreshReasons.RateLimited,
            RefreshStatus.WelkinFailed => RefreshReasons.WelkinFailed,
            _ => RefreshReasons.VaultFailed,
        },
        vault.SecretName,
        seen,
        status == RefreshStatus.Throttled ? MaxWait : null,
        category,
        $"The refresh another instance ran just now failed ({category}); this request shares its result. The next timer tick tries again.");

    private RefreshOutcome SharedLimit(StoredToken? seen, TimeSpan retryAfter, string message) =>
        new(RefreshStatus.Throttled, false, RefreshReasons.RateLimited, vault.SecretName, seen, retryAfter,
            RefreshOutcome.Category(WelkinFailureKind.RateLimited), message);

    private RefreshOutcome StillBusy(StoredToken? seen)
    {
        CoordinationLog.HolderDidNotFinish(logger, welkin.Value.ClientName, vault.SecretName, MaxWait);
        return new RefreshOutcome(RefreshStatus.Throttled, false, RefreshReasons.RefreshInProgress, vault.SecretName, seen, MaxWait,
            RefreshReasons.RefreshInProgress, $"Another instance is refreshing the token and did not finish within {MaxWait.TotalSeconds:F0} s; ask again shortly.");
    }
}
