using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Every log line of the library. None takes the token value: only its Key Vault version and expiry.
/// </summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Read Welkin token version {Version} from Key Vault secret {SecretName}; it expires at {ExpiresOn:O}")]
    public static partial void TokenRead(ILogger logger, string version, string secretName, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "The Welkin token in Key Vault secret {SecretName} (version {Version}) expires at {ExpiresOn:O}, inside the refresh window: the refresher has not replaced it in time. Check the refresher's /api/token/status endpoint and alerts")]
    public static partial void TokenNearExpiry(ILogger logger, string secretName, string version, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Reading the Welkin token from Key Vault failed ({Reason}); serving the cached version {Version}, valid until {ExpiresOn:O}; next read in {Backoff}")]
    public static partial void ServingCachedAfterFailure(
        ILogger logger, WelkinTokenUnavailableReason reason, string version, DateTimeOffset expiresOn, TimeSpan backoff, Exception exception);

    // One line per read, not per call: until the next read, callers get this failure from memory without a log line.

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "Reading the Welkin token from Key Vault failed ({Reason}) and no valid token is cached; callers get this failure until the next read in {Wait}")]
    public static partial void ReadFailed(ILogger logger, WelkinTokenUnavailableReason reason, TimeSpan wait, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Welkin answered 401 to token version {StaleVersion}; retrying once with version {FreshVersion}")]
    public static partial void RetryingWithNewToken(ILogger logger, string staleVersion, string freshVersion);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Welkin answered 401 to token version {StaleVersion} and the vault holds no newer version; returning the 401")]
    public static partial void NoNewerToken(ILogger logger, string staleVersion);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Welkin answered 401 to token version {StaleVersion}; a newer version {FreshVersion} exists, but the request content cannot be sent again, so the 401 is returned")]
    public static partial void CannotReplayContent(ILogger logger, string staleVersion, string freshVersion);
}
