using System.Globalization;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
/// <item>Stale on error: a failed read while the cached token is valid logs a warning, keeps serving it and backs off
/// (<see cref="WelkinTokenSourceOptions.ErrorBackoff"/>, doubling). Failures are never cached: with no valid token, the next call reads again.</item>
/// <item>With no valid token, callers get a <see cref="WelkinTokenUnavailableException"/> that says why.</item>
/// </list>
/// Thread-safe; register one instance per process (the DI extensions do).
/// </remarks>
public sealed class KeyVaultWelkinTokenSource : IWelkinTokenSource
{
    private readonly SecretClient _client;
    private readonly WelkinTokenSourceOptions _options;
    private readonly Uri _vaultUri;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    private volatile CachedToken? _cached;

    // The read all callers share while it runs; null when none runs.
    private Task<CachedToken>? _read;

    // Touched only by the running read, and only one read runs at a time.
    private int _consecutiveFailures;

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
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

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
    }

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
            // Either someone already moved past the rejected version, or the vault was read moments ago and would say the same.
            return new ValueTask<WelkinToken>(cached.Token);
        }

        return new ValueTask<WelkinToken>(WaitForReadAsync(StartOrJoinRead(cached, out _), cancellationToken));
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

        return new ValueTask<WelkinToken>(WaitForReadAsync(StartOrJoinRead(cached, out _), cancellationToken));
    }

    private static async Task<WelkinToken> WaitForReadAsync(Task<CachedToken> read, CancellationToken cancellationToken)
    {
        CachedToken fresh = await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        return fresh.Token;
    }

    /// <summary>
    /// Returns the running read, or starts one. <paramref name="observed"/> is the cache entry the caller decided on:
    /// if a read published a newer one in between, that one is returned instead of reading again.
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

        CachedToken? current = _cached;
        if (current is not null && !ReferenceEquals(current, observed) && current.IsValidAt(NowTicks))
        {
            Volatile.Write(ref _read, null);
            completion.SetResult(current);
            return completion.Task;
        }

        started = true;
        _ = ReadAsync(completion);
        return completion.Task;
    }

    // Never throws, whatever fails: the outcome goes to the shared completion, which must always complete (or callers would
    // wait forever) and the shared read must always be cleared (or no later caller could start one).
    private async Task ReadAsync(TaskCompletionSource<CachedToken> completion)
    {
        try
        {
            CachedToken outcome = await ReadOrServeStaleAsync().ConfigureAwait(false);

            // Publish before clearing the read, so whoever finds no read running finds the new token.
            _cached = outcome;
            Volatile.Write(ref _read, null);
            completion.SetResult(outcome);
        }
        catch (Exception failure)
        {
            Volatile.Write(ref _read, null);
            completion.SetException(failure);
        }
    }

    private async Task<CachedToken> ReadOrServeStaleAsync()
    {
        WelkinTokenUnavailableException failure;
        try
        {
            CachedToken fresh = await ReadVaultAsync().ConfigureAwait(false);
            _consecutiveFailures = 0;
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

        CachedToken? stale = _cached;
        long now = NowTicks;
        if (stale is null || !stale.IsValidAt(now))
        {
            ClientLog.ReadFailed(_logger, failure.Reason, failure);
            throw failure;
        }

        TimeSpan backoff = NextBackoff();
        ClientLog.ServingCachedAfterFailure(_logger, failure.Reason, stale.Token.Version, stale.Token.ExpiresOn, backoff, failure);
        return CachedToken.Create(stale.Token, now + backoff.Ticks, _options.RefreshBeforeExpiry);
    }

    private TimeSpan NextBackoff()
    {
        int doublings = Math.Min(_consecutiveFailures, 16);
        _consecutiveFailures++;
        long ticks = _options.ErrorBackoff.Ticks << doublings;
        return TimeSpan.FromTicks(Math.Min(ticks, _options.MaxErrorBackoff.Ticks));
    }

    private async Task<CachedToken> ReadVaultAsync()
    {
        KeyVaultSecret secret;

        // Not the caller's token: this read is shared, so one caller giving up must not fail the others. Its own time limit
        // bounds it instead, also when the SDK call does not honour cancellation.
        using var timeout = new CancellationTokenSource(_options.VaultReadTimeout, _timeProvider);
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
                string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.VaultReadTimeout} (option VaultReadTimeout)"),
                exception);
        }
        catch (Exception exception)
        {
            throw Classify(exception);
        }

        return ToCachedToken(secret);
    }

    private CachedToken ToCachedToken(KeyVaultSecret secret)
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
                string.Create(CultureInfo.InvariantCulture, $"version {properties.Version} expired at {expiresOn:O}"));
        }

        // Keep the same instance for an unchanged token, so consumers caching per instance (the handler's header) keep hitting.
        WelkinToken? current = _cached?.Token;
        WelkinToken token = current is not null && current.Version == properties.Version
            && current.ExpiresOn == expiresOn && current.Value == secret.Value
            ? current
            : new WelkinToken(secret.Value, expiresOn, properties.Version);

        ClientLog.TokenRead(_logger, token.Version, _options.SecretName, expiresOn);
        if (expiresOn.UtcTicks - _options.RefreshBeforeExpiry.Ticks <= now)
        {
            ClientLog.TokenNearExpiry(_logger, _options.SecretName, token.Version, expiresOn);
        }

        return CachedToken.Create(token, now + _options.MinimumReadInterval.Ticks, _options.RefreshBeforeExpiry);
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
                string.Create(CultureInfo.InvariantCulture, $"HTTP {failed.Status} {failed.ErrorCode}"),
                exception),
        _ => Unavailable(WelkinTokenUnavailableReason.VaultUnavailable, exception.GetType().Name, exception),
    };

    private WelkinTokenUnavailableException Unavailable(
        WelkinTokenUnavailableReason reason, string? detail = null, Exception? innerException = null) =>
        WelkinTokenUnavailableException.Create(reason, _vaultUri, _options.SecretName, detail, innerException);
}
