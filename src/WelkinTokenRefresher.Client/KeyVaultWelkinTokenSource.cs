using System.Diagnostics;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Client.Telemetry;
using WelkinTokenRefresher.Client.Vault;
using WelkinTokenRefresher.KeyVault;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Reads the Welkin token from a Key Vault secret written by the WelkinTokenRefresher and caches it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The cached token is served until <c>ExpiresOn − RefreshBeforeExpiry</c> without touching the vault or allocating.</item>
/// <item>Refresh ahead: inside that window the first caller starts a background read; every caller keeps getting the still-valid token.</item>
/// <item>Single flight: concurrent callers share one read, whatever their number. The read ends within
/// <see cref="WelkinTokenSourceOptions.VaultReadTimeout"/> with a token or an exception, whatever the vault does.</item>
/// <item>One read per <see cref="WelkinTokenSourceOptions.MinimumReadInterval"/>, whatever the vault answers: after a failed
/// read, callers without a valid token get that failure from memory (a new <see cref="WelkinTokenUnavailableException"/>
/// each, with the same reason and message and the logged one as inner exception) until the interval has passed since the
/// read began; longer after repeated throttling or unavailability (<see cref="WelkinTokenSourceOptions.ErrorBackoff"/>,
/// doubling up to <see cref="WelkinTokenSourceOptions.MaxErrorBackoff"/>) or when the vault's <c>Retry-After</c> asks for
/// longer. Re-reads after a 401 (<see cref="RefreshAsync"/>) share the same interval. One log line per read.</item>
/// <item>Stale on error: a failed read while the cached token is valid logs a warning and keeps serving it.</item>
/// </list>
/// Thread-safe; register one instance per process (the DI extensions do).
/// </remarks>
public sealed class KeyVaultWelkinTokenSource : IWelkinTokenSource
{
    /// <summary>The <c>source</c> tag of the unnamed token source.</summary>
    internal const string DefaultName = "default";

    private readonly SecretClient _client;
    private readonly WelkinTokenSourceOptions _options;
    private readonly Uri _vaultUri;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ClientMetrics _metrics;

    // The newest token read (valid or not by now), with the instants that drive the hot path.
    private volatile CachedToken? _cached;

    // When the next read may begin, and the last read's failure; null before the first read.
    private volatile LastRead? _lastRead;

    // The read all callers share while it runs; null when none runs. Only its owner publishes _cached and _lastRead.
    private Task<CachedToken>? _read;

    // Touched only by the running read, and only one read runs at a time.
    private int _consecutiveVaultFailures;

    /// <summary>Creates a token source over <paramref name="client"/>.</summary>
    /// <param name="client">The client for the vault that holds the token.</param>
    /// <param name="options">Secret name and cache settings; validated here.</param>
    /// <param name="timeProvider">The clock (inject a fake one in tests).</param>
    /// <param name="logger">Where warnings and errors go. The token itself is never logged.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public KeyVaultWelkinTokenSource(
        SecretClient client,
        IOptions<WelkinTokenSourceOptions> options,
        TimeProvider timeProvider,
        ILogger<KeyVaultWelkinTokenSource> logger)
        : this(client, options, timeProvider, logger, DefaultName, ClientMetrics.Shared)
    {
    }

    internal KeyVaultWelkinTokenSource(
        SecretClient client,
        IOptions<WelkinTokenSourceOptions> options,
        TimeProvider timeProvider,
        ILogger logger,
        string name,
        ClientMetrics metrics)
    {
        Guard.NotNull(client);
        Guard.NotNull(options);
        Guard.NotNull(timeProvider);
        Guard.NotNull(logger);

        _options = options.Value;
        ValidateOptionsResult validation = new WelkinTokenSourceOptionsValidator().Validate(Options.DefaultName, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WelkinTokenSourceOptions), validation.Failures);
        }

        _client = client;
        _vaultUri = _options.VaultUri!;
        _timeProvider = timeProvider;
        _logger = logger;
        Name = name;
        _metrics = metrics;
        metrics.Register(this);
    }

    /// <summary>The source's name in telemetry: its service key, or <c>default</c>.</summary>
    internal string Name { get; }

    /// <summary>When the token this source serves expires (UTC ticks), or null before the first token was read.</summary>
    internal long? ServedExpiryTicks => _cached?.ExpiresAtTicks;

    private long NowTicks => _timeProvider.GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public ValueTask<WelkinToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        CachedToken? cached = _cached;
        if (cached is not null && NowTicks < cached.RefreshAtTicks)
        {
            return new ValueTask<WelkinToken>(cached.Token);
        }

        return GetTokenSlowAsync(cached, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WelkinToken> RefreshAsync(string? staleVersion, CancellationToken cancellationToken = default)
    {
        CachedToken? cached = _cached;
        long now = NowTicks;
        if (cached is not null && cached.IsValidAt(now)
            && ((staleVersion is not null && cached.Token.Version != staleVersion) || now < cached.NextReadAtTicks))
        {
            // Either someone already moved past the rejected version, or a read began less than the interval ago: what it
            // found is the answer (the same version, so the handler returns the 401).
            return new ValueTask<WelkinToken>(cached.Token);
        }

        return WaitForReadAsync(StartOrJoinRead(cached, out _), cancellationToken);
    }

    private ValueTask<WelkinToken> GetTokenSlowAsync(CachedToken? cached, CancellationToken cancellationToken)
    {
        if (cached is not null && cached.IsValidAt(NowTicks))
        {
            // Refresh ahead: start the read, but answer with the still-valid token now.
            Task<CachedToken> read = StartOrJoinRead(cached, out bool started);
            if (started)
            {
                // Nobody awaits a background read; observe its failure so it is not reported as unobserved.
                _ = read.ContinueWith(
                    static task => _ = task.Exception,
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }

            return new ValueTask<WelkinToken>(cached.Token);
        }

        return WaitForReadAsync(StartOrJoinRead(cached, out _), cancellationToken);
    }

    private static ValueTask<WelkinToken> WaitForReadAsync(Task<CachedToken> read, CancellationToken cancellationToken) =>
        read.Status == TaskStatus.RanToCompletion
            ? new ValueTask<WelkinToken>(read.Result.Token)
            : new ValueTask<WelkinToken>(WaitAsync(read, cancellationToken));

    private static async Task<WelkinToken> WaitAsync(Task<CachedToken> read, CancellationToken cancellationToken)
    {
        CachedToken fresh = await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        return fresh.Token;
    }

    /// <summary>
    /// Returns the running read, or starts one if the last one began at least the interval ago. Otherwise, or if a read
    /// published a newer token than <paramref name="observed"/> (the cache entry the caller decided on) in between, it
    /// answers from memory: that token, or the remembered failure.
    /// </summary>
    private Task<CachedToken> StartOrJoinRead(CachedToken? observed, out bool started)
    {
        started = false;
        Task<CachedToken>? running = Volatile.Read(ref _read);
        if (running is not null)
        {
            return running;
        }

        var completion = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        running = Interlocked.CompareExchange(ref _read, completion.Task, null);
        if (running is not null)
        {
            return running;
        }

        // This caller owns the next read; decide on what the reads before it published.
        long now = NowTicks;
        CachedToken? current = _cached;
        if (current is not null && current.IsValidAt(now) && (!ReferenceEquals(current, observed) || now < current.NextReadAtTicks))
        {
            return AnswerFromMemory(completion, current);
        }

        LastRead? last = _lastRead;
        if (last is not null && now < last.NextReadAtTicks)
        {
            // The last read found a token that has expired since, or failed: either way no read before the interval is over.
            return AnswerFromMemory(completion, last.Failure?.Remembered() ?? ExpiredSinceRead(current!));
        }

        started = true;
        _ = ReadAsync(completion, now);
        return completion.Task;
    }

    private Task<CachedToken> AnswerFromMemory(TaskCompletionSource<CachedToken> completion, CachedToken token)
    {
        Volatile.Write(ref _read, null);
        completion.SetResult(token);
        return completion.Task;
    }

    private Task<CachedToken> AnswerFromMemory(TaskCompletionSource<CachedToken> completion, WelkinTokenUnavailableException failure)
    {
        Volatile.Write(ref _read, null);
        completion.SetException(failure);
        return completion.Task;
    }

    private WelkinTokenUnavailableException ExpiredSinceRead(CachedToken read) =>
        Unavailable(
            WelkinTokenUnavailableReason.Expired,
            FormattableString.Invariant($"version {read.Token.Version} expired at {read.Token.ExpiresOn:O}"));

    // Never throws, whatever fails: the outcome goes to the shared completion, which must always complete (or callers would
    // wait forever) and the shared read must always be cleared (or no later caller could start one).
    private async Task ReadAsync(TaskCompletionSource<CachedToken> completion, long startedAt)
    {
        try
        {
            CachedToken outcome = await ReadAndRememberAsync(startedAt).ConfigureAwait(false);

            // Everything was published before the read is cleared, so whoever finds no read running finds its outcome.
            Volatile.Write(ref _read, null);
            completion.SetResult(outcome);
        }
        catch (Exception failure)
        {
            Volatile.Write(ref _read, null);
            completion.SetException(failure);
        }
    }

    private async Task<CachedToken> ReadAndRememberAsync(long startedAt)
    {
        Activity? activity = ClientTracing.StartRead(Name);
        WelkinTokenUnavailableException failure;
        try
        {
            CachedToken fresh = await ReadVaultAsync(startedAt).ConfigureAwait(false);
            _consecutiveVaultFailures = 0;
            _cached = fresh;
            _lastRead = new LastRead(fresh.NextReadAtTicks, failure: null);
            Report(activity, ReadOutcomes.Ok, failed: false);
            return fresh;
        }
        catch (WelkinTokenUnavailableException unavailable)
        {
            failure = unavailable;
        }
        catch (Exception unexpected)
        {
            failure = Unavailable(WelkinTokenUnavailableReason.VaultUnavailable, unexpected.GetType().Name, unexpected);
        }

        TimeSpan wait = WaitAfter(failure);
        long nextReadAt = startedAt + wait.Ticks;
        _lastRead = new LastRead(nextReadAt, failure);
        Report(activity, ReadOutcomes.Of(failure.Reason), failed: true);

        CachedToken? stale = _cached;
        if (stale is null || !stale.IsValidAt(NowTicks))
        {
            ClientLog.ReadFailed(_logger, failure.Reason, wait, failure);
            throw failure;
        }

        ClientLog.ServingCachedAfterFailure(_logger, failure.Reason, stale.Token.Version, stale.Token.ExpiresOn, wait, failure);
        CachedToken served = CachedToken.Create(stale.Token, nextReadAt, _options.RefreshBeforeExpiry);
        _cached = served;
        return served;
    }

    private void Report(Activity? activity, string outcome, bool failed)
    {
        _metrics.RecordRead(Name, outcome);
        ClientTracing.Finish(activity, outcome, failed);
    }

    /// <summary>
    /// How long after the failed read began the next may begin: the interval; more after consecutive throttling or
    /// unavailability (the backoff), and more if the vault's Retry-After asks for it.
    /// </summary>
    private TimeSpan WaitAfter(WelkinTokenUnavailableException failure)
    {
        TimeSpan wait = _options.MinimumReadInterval;
        if (failure.Reason is WelkinTokenUnavailableReason.Throttled or WelkinTokenUnavailableReason.VaultUnavailable)
        {
            int doublings = Math.Min(_consecutiveVaultFailures, 16);
            _consecutiveVaultFailures++;
            long backoff = Math.Min(_options.ErrorBackoff.Ticks << doublings, _options.MaxErrorBackoff.Ticks);
            wait = TimeSpan.FromTicks(Math.Max(wait.Ticks, backoff));
        }
        else
        {
            // The vault answered (a missing, disabled or expired secret, a refusal): it is well, and its repair should be
            // picked up within the interval.
            _consecutiveVaultFailures = 0;
        }

        if (failure.InnerException is RequestFailedException answer
            && RetryAfterHeader.Read(answer.GetRawResponse(), _timeProvider.GetUtcNow()) is { } asked && asked > wait)
        {
            wait = asked;
        }

        return wait;
    }

    private async Task<CachedToken> ReadVaultAsync(long startedAt)
    {
        KeyVaultSecret secret;

        // Not the caller's token: this read is shared, so one caller giving up must not fail the others. Its own time limit
        // bounds it instead, also when the SDK call does not honour cancellation.
#if NET8_0_OR_GREATER
        using var timeout = new CancellationTokenSource(_options.VaultReadTimeout, _timeProvider);
#else
        using CancellationTokenSource timeout = _timeProvider.CreateCancellationTokenSource(_options.VaultReadTimeout);
#endif
        try
        {
            Response<KeyVaultSecret> response = await _client
                .GetSecretAsync(_options.SecretName, version: null, timeout.Token)
                .WaitAsync(timeout.Token)
                .ConfigureAwait(false);
            secret = response.Value;
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested)
        {
            throw Unavailable(
                WelkinTokenUnavailableReason.VaultUnavailable,
                FormattableString.Invariant($"no answer within {_options.VaultReadTimeout} (option VaultReadTimeout)"),
                exception);
        }
        catch (Exception exception)
        {
            throw Classify(exception);
        }

        return ToCachedToken(secret, startedAt);
    }

    private CachedToken ToCachedToken(KeyVaultSecret secret, long startedAt)
    {
        SecretProperties properties = secret.Properties;
        if (DisabledSecret.Is(properties))
        {
            throw Unavailable(WelkinTokenUnavailableReason.Disabled);
        }

        if (string.IsNullOrEmpty(secret.Value))
        {
            throw Unavailable(WelkinTokenUnavailableReason.InvalidSecret, "has no value");
        }

        if (properties.ExpiresOn is not { } expiresOn)
        {
            throw Unavailable(WelkinTokenUnavailableReason.InvalidSecret, "has no expiry date (ExpiresOn)");
        }

        long now = NowTicks;
        if (expiresOn.UtcTicks <= now)
        {
            throw Unavailable(
                WelkinTokenUnavailableReason.Expired,
                FormattableString.Invariant($"version {properties.Version} expired at {expiresOn:O}"));
        }

        // Keep the same instance for an unchanged token, so consumers caching per instance (the handler's header) keep hitting.
        WelkinToken? current = _cached?.Token;
        WelkinToken token = current is not null && current.Version == properties.Version
            && current.ExpiresOn == expiresOn && current.Value == secret.Value
            ? current
            : new WelkinToken(secret.Value, expiresOn, properties.Version);

        // One line per read: the warning says all the debug line would.
        if (expiresOn.UtcTicks - _options.RefreshBeforeExpiry.Ticks <= now)
        {
            ClientLog.TokenNearExpiry(_logger, _options.SecretName, token.Version, expiresOn);
        }
        else
        {
            ClientLog.TokenRead(_logger, token.Version, _options.SecretName, expiresOn);
        }

        return CachedToken.Create(token, startedAt + _options.MinimumReadInterval.Ticks, _options.RefreshBeforeExpiry);
    }

    private WelkinTokenUnavailableException Classify(Exception exception) => exception switch
    {
        RequestFailedException { Status: 404 } =>
            Unavailable(WelkinTokenUnavailableReason.SecretNotFound, innerException: exception),
        RequestFailedException forbidden when DisabledSecret.IsReadRefusal(forbidden) =>
            Unavailable(WelkinTokenUnavailableReason.Disabled, innerException: exception),
        RequestFailedException { Status: 403 } =>
            Unavailable(WelkinTokenUnavailableReason.Forbidden, innerException: exception),
        RequestFailedException { Status: 401 } or AuthenticationFailedException =>
            Unavailable(WelkinTokenUnavailableReason.AuthenticationFailed, innerException: exception),
        RequestFailedException { Status: 429 } =>
            Unavailable(WelkinTokenUnavailableReason.Throttled, innerException: exception),
        RequestFailedException { Status: 0 } =>
            Unavailable(WelkinTokenUnavailableReason.VaultUnavailable, "no response", exception),
        RequestFailedException failed =>
            Unavailable(
                WelkinTokenUnavailableReason.VaultUnavailable,
                FormattableString.Invariant($"HTTP {failed.Status} {failed.ErrorCode}"),
                exception),
        InvalidOperationException challenge when challenge.Message.Contains(nameof(WelkinTokenSourceOptions.DisableChallengeResourceVerification), StringComparison.Ordinal) =>
            Unavailable(WelkinTokenUnavailableReason.AuthenticationFailed, ChallengeRefused(), exception),
        _ => Unavailable(WelkinTokenUnavailableReason.VaultUnavailable, exception.GetType().Name, exception),
    };

    // The SDK refuses a challenge naming a resource outside the vault's domain, as a loopback emulator's does.
    private string ChallengeRefused()
    {
        const string Option = nameof(WelkinTokenSourceOptions.DisableChallengeResourceVerification);
        string setting = _options.ConfigurationPath is { } path
            ? $"{path}:{Option}=true (environment variable {path.Replace(":", "__", StringComparison.Ordinal)}__{Option})"
            : $"the option {Option} to true";
        return $"the vault's challenge names a resource outside the vault's domain, which the Key Vault SDK refuses. Against `welkin-token sandbox` or another emulator set {setting}; never in Azure";
    }

    private WelkinTokenUnavailableException Unavailable(
        WelkinTokenUnavailableReason reason, string? detail = null, Exception? innerException = null) =>
        WelkinTokenUnavailableException.Create(reason, _vaultUri, _options.SecretName, detail, innerException);
}
