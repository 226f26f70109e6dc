using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Core.Telemetry;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>
/// Reads the vault, applies the due rule or the force guard, and fetches and stores a new token. Concurrent refreshes
/// in this process share one Welkin call: callers that arrive while one runs, or whose vault read predates one that
/// finished, get its result instead of starting another. Across instances the shared refresh runs behind the
/// <see cref="CrossInstanceRefreshGate"/>. One instance per Welkin API client (<paramref name="client"/>), each with its own
/// vault secret, Welkin client, rate guard and lease.
/// </summary>
internal sealed class TokenRefresher(
    ITokenVault vault,
    WelkinTokenClientResolver welkin,
    CrossInstanceRefreshGate gate,
    IOptions<RefreshOptions> options,
    TimeProvider time,
    RefreshMetrics metrics,
    ILogger<TokenRefresher> logger,
    string client) : ITokenRefresher
{
    private readonly Lock _sync = new();
    private Task<RefreshOutcome>? _inFlight;
    private long _completedRefreshes;
    private RefreshOutcome? _lastRefreshed;

    public async Task<RefreshOutcome> RefreshAsync(RefreshTrigger trigger, bool force, CancellationToken cancellationToken)
    {
        // Every line logged during the refresh, by the Welkin pipeline and the lease too, carries the client.
        using var scope = logger.BeginScope(new ClientLogScope(client));
        var started = time.GetTimestamp();
        var outcome = await DecideAsync(force, cancellationToken) with { Client = client };
        metrics.Record(client, trigger, outcome, time.GetElapsedTime(started));
        metrics.ObserveExpiry(client, outcome.Token?.ExpiresAt);
        LogOutcome(trigger, outcome);
        return outcome;
    }

    public async Task<TokenStatusReport> GetStatusAsync(CancellationToken cancellationToken)
    {
        VaultReading reading;
        try
        {
            reading = await vault.ReadCurrentAsync(cancellationToken);
        }
        catch (TokenVaultException e)
        {
            var category = RefreshOutcome.Category(e.Kind);
            Log.StatusReadFailed(logger, client, category, e.Message);
            return new TokenStatusReport(false, RefreshReasons.VaultFailed, vault.SecretName, null, null, null, null, category, e.Message) { Client = client };
        }

        var now = time.GetUtcNow();
        var token = reading.Token;
        metrics.ObserveExpiry(client, token?.ExpiresAt);
        var remaining = token?.RemainingLifetime(now);
        var reason = reading.State switch
        {
            VaultTokenState.Missing => RefreshReasons.NoToken,
            VaultTokenState.Disabled => RefreshReasons.Disabled,
            _ when remaining <= TimeSpan.Zero => RefreshReasons.Expired,
            _ when remaining < TokenStatusReport.HealthyRemainingLifetime => "expiring-soon",
            _ => "ok",
        };
        return new TokenStatusReport(
            reason == "ok",
            reason,
            vault.SecretName,
            token?.Version,
            token?.IssuedAt,
            token?.ExpiresAt,
            remaining is { } r ? (int)Math.Floor(r.TotalSeconds) : null)
        {
            Client = client,
        };
    }

    private async Task<RefreshOutcome> DecideAsync(bool force, CancellationToken cancellationToken)
    {
        // Taken before the vault read: a refresh completing after this point makes our reading stale.
        var generation = Interlocked.Read(ref _completedRefreshes);
        VaultReading reading;
        try
        {
            reading = await vault.ReadCurrentAsync(cancellationToken);
        }
        catch (TokenVaultException e)
        {
            return VaultFailure(e, null);
        }

        var now = time.GetUtcNow();
        var settings = options.Value;
        var current = reading.Token;
        string reason;
        if (force)
        {
            if (current is not null && current.IsValidAt(now) && now - current.IssuedAt < settings.MinForceInterval)
            {
                return new RefreshOutcome(
                    RefreshStatus.Throttled,
                    false,
                    RefreshReasons.ForceTooSoon,
                    vault.SecretName,
                    current,
                    current.IssuedAt + settings.MinForceInterval - now,
                    RefreshReasons.ForceTooSoon,
                    $"The token in the vault was issued {(now - current.IssuedAt).TotalSeconds:F0} s ago; a forced refresh is accepted once it is {settings.MinForceInterval} old (Refresh:MinForceInterval).");
            }

            reason = RefreshReasons.Forced;
        }
        else
        {
            var decision = DueRule.Evaluate(reading, now, settings);
            if (!decision.IsDue)
            {
                return new RefreshOutcome(RefreshStatus.Succeeded, false, RefreshReasons.NotDue, vault.SecretName, current);
            }

            reason = decision.Reason;
        }

        return await JoinOrStartAsync(reason, current, generation, cancellationToken);
    }

    private async Task<RefreshOutcome> JoinOrStartAsync(string reason, StoredToken? current, long generation, CancellationToken cancellationToken)
    {
        Task<RefreshOutcome> task;
        Task<Task<RefreshOutcome>>? start = null;
        lock (_sync)
        {
            if (_inFlight is { IsCompleted: false } running)
            {
                task = running;
            }
            else if (_completedRefreshes != generation && _lastRefreshed is { } last)
            {
                return Joined(last);
            }
            else
            {
                // Only published here: its first synchronous steps (client resolution, the lease store's clients, the
                // handler chain) run after the lock is left, so a storm's callers do not queue behind them.
                start = new Task<Task<RefreshOutcome>>(() => RefreshOnceAsync(reason, current));
                task = _inFlight = start.Unwrap();
            }
        }

        // The shared work must not be cancelled by whichever caller started it; every step has its own timeout.
        start?.RunSynchronously(TaskScheduler.Default);
        var joined = start is null;
        var outcome = await task.WaitAsync(cancellationToken);
        return joined && outcome.Status == RefreshStatus.Succeeded ? Joined(outcome) : outcome;
    }

    private async Task<RefreshOutcome> RefreshOnceAsync(string reason, StoredToken? current)
    {
        var outcome = await gate.RunAsync(current, () => FetchAndStoreAsync(reason, current));
        // A token another instance wrote counts too: callers whose vault read predates it get it instead of refreshing.
        if (outcome is { Status: RefreshStatus.Succeeded, Refreshed: true })
        {
            lock (_sync)
            {
                _lastRefreshed = outcome;
                _completedRefreshes++;
            }
        }

        return outcome;
    }

    private async Task<RefreshOutcome> FetchAndStoreAsync(string reason, StoredToken? current)
    {
        IssuedToken token;
        try
        {
            token = await welkin.Resolve().RequestTokenAsync(CancellationToken.None);
        }
        catch (WelkinTokenException e) when (e.Kind == WelkinFailureKind.RateLimited)
        {
            // A 429 has just set the guard's block (WelkinRateGuard.BlockEnd): the caller is told that same end.
            return new RefreshOutcome(RefreshStatus.Throttled, false, RefreshReasons.RateLimited, vault.SecretName, current,
                welkin.RateGuard().RemainingBlock() ?? e.RetryAfter ?? WelkinRateGuard.DefaultBlock, RefreshOutcome.Category(e.Kind), e.Message);
        }
        catch (WelkinTokenException e)
        {
            return new RefreshOutcome(RefreshStatus.WelkinFailed, false, RefreshReasons.WelkinFailed, vault.SecretName, current,
                null, RefreshOutcome.Category(e.Kind), e.Message);
        }

        StoredToken stored;
        try
        {
            stored = await vault.WriteAsync(token, CancellationToken.None);
        }
        catch (TokenVaultException e)
        {
            return VaultFailure(e, current);
        }

        return new RefreshOutcome(RefreshStatus.Succeeded, true, reason, vault.SecretName, stored);
    }

    private static RefreshOutcome Joined(RefreshOutcome winner) => winner with { Reason = RefreshReasons.RefreshedConcurrently };

    private RefreshOutcome VaultFailure(TokenVaultException e, StoredToken? current) =>
        new(RefreshStatus.VaultFailed, false, RefreshReasons.VaultFailed, vault.SecretName, current, e.RetryAfter, RefreshOutcome.Category(e.Kind), e.Message);

    private void LogOutcome(RefreshTrigger trigger, RefreshOutcome outcome)
    {
        switch (outcome)
        {
            case { Status: RefreshStatus.Succeeded, Refreshed: false }:
                Log.RefreshNotDue(logger, client, trigger, outcome.SecretName, outcome.Token?.Version, outcome.Token?.ExpiresAt);
                break;
            case { Status: RefreshStatus.Succeeded, Reason: RefreshReasons.RefreshedConcurrently }:
                Log.RefreshJoined(logger, client, trigger, outcome.SecretName, outcome.Token?.Version);
                break;
            case { Status: RefreshStatus.Succeeded }:
                Log.TokenRefreshed(logger, client, trigger, outcome.Reason, outcome.SecretName, outcome.Token?.Version, outcome.Token?.ExpiresAt);
                break;
            case { Status: RefreshStatus.Throttled }:
                Log.RefreshThrottled(logger, client, trigger, outcome.Reason, outcome.Message, outcome.RetryAfter);
                break;
            case { Status: RefreshStatus.WelkinFailed }:
                Log.WelkinRefreshFailed(logger, client, trigger, outcome.Reason, outcome.FailureCategory ?? "", outcome.Message ?? "");
                break;
            default:
                Log.VaultRefreshFailed(logger, client, trigger, outcome.FailureCategory ?? "", outcome.Message ?? "");
                break;
        }
    }
}
