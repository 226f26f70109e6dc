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
/// vault secret, Welkin client, rate guard and lease. Nothing escapes as an exception but the caller's cancellation: a
/// client whose configuration is invalid, and an error nobody classified, are outcomes too, so one client never hides another.
/// </summary>
internal sealed class TokenRefresher(
    ClientServices client,
    IRefreshLeaseStore leases,
    IOptions<RefreshOptions> options,
    TimeProvider time,
    RefreshMetrics metrics,
    ILogger<TokenRefresher> logger) : ITokenRefresher
{
    private readonly Lock _sync = new();
    private Flight? _inFlight;
    private long _completedRefreshes;
    private RefreshOutcome? _lastRefreshed;

    private string Name => client.Name;

    private string SecretName => client.Configuration.SecretName;

    public async Task<RefreshOutcome> RefreshAsync(RefreshTrigger trigger, bool force, CancellationToken cancellationToken, DateTimeOffset? requestedAt = null)
    {
        // Every line logged during the refresh, by the Welkin pipeline and the lease too, carries the client.
        using var scope = logger.BeginScope(new ClientLogScope(Name));
        var started = time.GetTimestamp();
        var asked = requestedAt ?? time.GetUtcNow();
        RefreshOutcome outcome;
        try
        {
            outcome = client.Configuration.Problems(ClientUse.Refresh) is { Count: > 0 } problems
                ? new RefreshOutcome(RefreshStatus.ConfigurationInvalid, false, RefreshReasons.ConfigurationInvalid, SecretName, null,
                    FailureCategory: RefreshReasons.ConfigurationInvalid, Message: ConfigurationMessage(problems))
                : await DecideAsync(force, asked, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested || e is not OperationCanceledException)
        {
            outcome = new RefreshOutcome(RefreshStatus.InternalError, false, RefreshReasons.InternalError, SecretName, null,
                FailureCategory: RefreshReasons.InternalError, Message: UnexpectedError.Describe(e, $"refresh of client '{Name}'", "nothing was written"));
        }

        outcome = outcome with { Client = Name };
        metrics.Record(Name, trigger, outcome, time.GetElapsedTime(started));
        metrics.ObserveExpiry(Name, outcome.Token?.ExpiresAt);
        LogOutcome(trigger, outcome);
        return outcome;
    }

    public async Task<TokenStatusReport> GetStatusAsync(ClientUse use, CancellationToken cancellationToken)
    {
        TokenStatusReport report;
        try
        {
            report = await WithBudgetAsync(await ReadStatusAsync(use, cancellationToken), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested || e is not OperationCanceledException)
        {
            var message = UnexpectedError.Describe(e, $"status read of client '{Name}'", "the token was not read");
            Log.StatusReadFailed(logger, Name, RefreshReasons.InternalError, message);
            report = new TokenStatusReport(false, RefreshReasons.InternalError, SecretName, null, null, null, null, RefreshReasons.InternalError, message);
        }

        return report with { Client = Name };
    }

    private async Task<TokenStatusReport> ReadStatusAsync(ClientUse use, CancellationToken cancellationToken)
    {
        var problems = client.Configuration.Problems(use);
        if (!client.Configuration.Allows(ClientUse.ReadVault))
        {
            return ConfigurationInvalid(problems, null);
        }

        var vault = client.Vault();
        VaultReading reading;
        try
        {
            reading = await vault.ReadCurrentAsync(cancellationToken);
        }
        catch (TokenVaultException e)
        {
            var category = RefreshOutcome.Category(e.Kind);
            Log.StatusReadFailed(logger, Name, category, e.Message);
            return new TokenStatusReport(false, RefreshReasons.VaultFailed, SecretName, null, null, null, null, category, e.Message);
        }

        var now = time.GetUtcNow();
        var token = reading.Token;
        metrics.ObserveExpiry(Name, token?.ExpiresAt);
        if (problems.Count > 0)
        {
            // The vault's token is shown, but a client that cannot be refreshed is not healthy: its token runs out within the hour.
            return ConfigurationInvalid(problems, token) with { RemainingSeconds = RemainingSeconds(token, now) };
        }

        var remaining = token?.RemainingLifetime(now);
        var reason = reading.State switch
        {
            VaultTokenState.Missing => RefreshReasons.NoToken,
            VaultTokenState.Disabled => RefreshReasons.Disabled,
            _ when remaining <= TimeSpan.Zero => RefreshReasons.Expired,
            _ when remaining < TokenStatusReport.HealthyRemainingLifetime => "expiring-soon",
            _ => "ok",
        };
        return new TokenStatusReport(reason == "ok", reason, SecretName, token?.Version, token?.IssuedAt, token?.ExpiresAt, RemainingSeconds(token, now));
    }

    /// <summary>
    /// The client's token requests of the last 5 minutes against its ceiling, and a Welkin block in force: from the budget
    /// all instances share where storage holds one, else from this instance's rate guard. Needs no Welkin credentials.
    /// </summary>
    private async Task<TokenStatusReport> WithBudgetAsync(TokenStatusReport report, CancellationToken cancellationToken)
    {
        if (client.Configuration.Welkin is not { } welkin)
        {
            return report;
        }

        var guard = client.RateGuard();
        var shared = SecretName.Length > 0 ? await leases.ReadStateAsync(SecretName, cancellationToken) : null;
        var now = time.GetUtcNow();
        var sharedBlock = shared?.BlockedUntil > now ? shared.BlockedUntil : null;
        var localBlock = guard.BlockedUntil(now);
        return report with
        {
            TokenRequestsLast5Minutes = shared is null ? guard.SentInWindow(now) : shared.RequestsCountingAt(now).Count(),
            MaxTokenRequestsPer5Minutes = welkin.MaxTokenRequestsPer5Minutes,
            BlockedUntil = sharedBlock > localBlock || localBlock is null ? sharedBlock : localBlock,
        };
    }

    private TokenStatusReport ConfigurationInvalid(IReadOnlyList<string> problems, StoredToken? token) => new(
        false, RefreshReasons.ConfigurationInvalid, SecretName, token?.Version, token?.IssuedAt, token?.ExpiresAt, null,
        RefreshReasons.ConfigurationInvalid, ConfigurationMessage(problems));

    private static int? RemainingSeconds(StoredToken? token, DateTimeOffset now) =>
        token?.RemainingLifetime(now) is { } r ? (int)Math.Floor(r.TotalSeconds) : null;

    private string ConfigurationMessage(IReadOnlyList<string> problems) =>
        $"The configuration of client '{Name}' is not valid, so its token is not refreshed: {string.Join(" ", problems)}";

    private async Task<RefreshOutcome> DecideAsync(bool force, DateTimeOffset asked, CancellationToken cancellationToken)
    {
        // Taken before the vault read: a refresh completing after this point makes our reading stale.
        var generation = Interlocked.Read(ref _completedRefreshes);
        var vault = client.Vault();
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
                // Issued after this request was made: another refresh (another process or instance) finished while this
                // one started up, and its token is what this request asked for.
                if (current.IssuedAt > asked)
                {
                    return new RefreshOutcome(RefreshStatus.Succeeded, true, RefreshReasons.RefreshedConcurrently, SecretName, current);
                }

                return new RefreshOutcome(
                    RefreshStatus.Throttled,
                    false,
                    RefreshReasons.ForceTooSoon,
                    SecretName,
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
                return new RefreshOutcome(RefreshStatus.Succeeded, false, RefreshReasons.NotDue, SecretName, current);
            }

            reason = decision.Reason;
        }

        return await JoinOrStartAsync(reason, current, generation, cancellationToken);
    }

    private async Task<RefreshOutcome> JoinOrStartAsync(string reason, StoredToken? current, long generation, CancellationToken cancellationToken)
    {
        Flight flight;
        Task<Task<RefreshOutcome>>? start = null;
        lock (_sync)
        {
            if (_inFlight is { Task.IsCompleted: false } running)
            {
                flight = running;
            }
            else if (_completedRefreshes != generation && _lastRefreshed is { } last)
            {
                return Joined(last);
            }
            else
            {
                // Only published here: its first synchronous steps (client resolution, the lease store's clients, the
                // handler chain) run after the lock is left, so a storm's callers do not queue behind them.
                flight = new Flight();
                var abandoned = flight.Abandoned.Token;
                start = new Task<Task<RefreshOutcome>>(() => RefreshOnceAsync(reason, current, abandoned));
                flight.Task = start.Unwrap();
                _inFlight = flight;
            }

            flight.Waiters++;
        }

        // The shared work is not cancelled by whichever caller started it, only once every caller has given up (the
        // host stopping an invocation, say): then nobody wants the token, and a Welkin request still waiting is dropped.
        start?.RunSynchronously(TaskScheduler.Default);
        var joined = start is null;
        RefreshOutcome outcome;
        try
        {
            outcome = await flight.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            GiveUp(flight);
            throw;
        }

        // A caller that got the outcome needs no leaving: the flight is over, and a finished flight is never cancelled.
        return joined && outcome.Status == RefreshStatus.Succeeded ? Joined(outcome) : outcome;
    }

    private void GiveUp(Flight flight)
    {
        lock (_sync)
        {
            if (--flight.Waiters > 0 || flight.Task.IsCompleted)
            {
                return;
            }

            // Abandoned: the next caller starts a refresh of its own rather than joining one that is being cancelled.
            if (ReferenceEquals(_inFlight, flight))
            {
                _inFlight = null;
            }
        }

        flight.Abandoned.Cancel();
    }

    private async Task<RefreshOutcome> RefreshOnceAsync(string reason, StoredToken? current, CancellationToken abandoned)
    {
        var outcome = await client.Gate().RunAsync(current, () => FetchAndStoreAsync(reason, current, abandoned));
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

    private async Task<RefreshOutcome> FetchAndStoreAsync(string reason, StoredToken? current, CancellationToken abandoned)
    {
        IssuedToken token;
        try
        {
            token = await client.WelkinClient().RequestTokenAsync(abandoned);
        }
        catch (WelkinTokenException e) when (e.Kind == WelkinFailureKind.RateLimited)
        {
            // A 429 has just set the guard's block (WelkinRateGuard.BlockEnd): the caller is told that same end.
            return new RefreshOutcome(RefreshStatus.Throttled, false, RefreshReasons.RateLimited, SecretName, current,
                client.RateGuard().RemainingBlock() ?? e.RetryAfter ?? WelkinRateGuard.DefaultBlock, RefreshOutcome.Category(e.Kind), e.Message);
        }
        catch (WelkinTokenException e)
        {
            return new RefreshOutcome(RefreshStatus.WelkinFailed, false, RefreshReasons.WelkinFailed, SecretName, current,
                null, RefreshOutcome.Category(e.Kind), e.Message);
        }

        StoredToken stored;
        try
        {
            // A token fetched is stored even if nobody waits any more: its request is spent from the budget either way.
            stored = await client.Vault().WriteAsync(token, CancellationToken.None);
        }
        catch (TokenVaultException e)
        {
            return VaultFailure(e, current);
        }

        return new RefreshOutcome(RefreshStatus.Succeeded, true, reason, SecretName, stored);
    }

    private static RefreshOutcome Joined(RefreshOutcome winner) => winner with { Reason = RefreshReasons.RefreshedConcurrently };

    private RefreshOutcome VaultFailure(TokenVaultException e, StoredToken? current) =>
        new(RefreshStatus.VaultFailed, false, RefreshReasons.VaultFailed, SecretName, current, e.RetryAfter, RefreshOutcome.Category(e.Kind), e.Message);

    private void LogOutcome(RefreshTrigger trigger, RefreshOutcome outcome)
    {
        switch (outcome)
        {
            case { Status: RefreshStatus.Succeeded, Refreshed: false }:
                Log.RefreshNotDue(logger, Name, trigger, outcome.SecretName, outcome.Token?.Version, outcome.Token?.ExpiresAt);
                break;
            case { Status: RefreshStatus.Succeeded, Reason: RefreshReasons.RefreshedConcurrently }:
                Log.RefreshJoined(logger, Name, trigger, outcome.SecretName, outcome.Token?.Version);
                break;
            case { Status: RefreshStatus.Succeeded }:
                Log.TokenRefreshed(logger, Name, trigger, outcome.Reason, outcome.SecretName, outcome.Token?.Version, outcome.Token?.ExpiresAt);
                break;
            case { Status: RefreshStatus.Throttled }:
                Log.RefreshThrottled(logger, Name, trigger, outcome.Reason, outcome.Message, outcome.RetryAfter);
                break;
            case { Status: RefreshStatus.WelkinFailed }:
                Log.WelkinRefreshFailed(logger, Name, trigger, outcome.Reason, outcome.FailureCategory ?? "", outcome.Message ?? "");
                break;
            case { Status: RefreshStatus.VaultFailed }:
                Log.VaultRefreshFailed(logger, Name, trigger, outcome.FailureCategory ?? "", outcome.Message ?? "");
                break;
            case { Status: RefreshStatus.ConfigurationInvalid }:
                Log.ConfigurationInvalid(logger, Name, trigger, outcome.Message ?? "");
                break;
            default:
                Log.RefreshInternalError(logger, Name, trigger, outcome.Message ?? "");
                break;
        }
    }

    /// <summary>One shared refresh: its task, how many callers wait for it, and its cancellation once all of them gave up.</summary>
    private sealed class Flight
    {
        public Task<RefreshOutcome> Task { get; set; } = null!;

        public CancellationTokenSource Abandoned { get; } = new();

        public int Waiters { get; set; }
    }
}
