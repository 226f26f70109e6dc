using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Core.Telemetry;

/// <summary>
/// Every log line of the core, source-generated with a stable event id: 1xxx outcomes and warnings, 2xxx failures.
/// No message takes a token or the secret as an argument.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Token of client {Client} not due ({Trigger}): secret {SecretName} version {Version} expires {ExpiresAt:O}.")]
    public static partial void RefreshNotDue(ILogger logger, string client, RefreshTrigger trigger, string secretName, string? version, DateTimeOffset? expiresAt);

    [LoggerMessage(1001, LogLevel.Information, "Token of client {Client} refreshed ({Trigger}, {Reason}): secret {SecretName} version {Version} expires {ExpiresAt:O}.")]
    public static partial void TokenRefreshed(ILogger logger, string client, RefreshTrigger trigger, string reason, string secretName, string? version, DateTimeOffset? expiresAt);

    [LoggerMessage(1002, LogLevel.Information, "Refresh of client {Client} ({Trigger}) joined a refresh already in progress: secret {SecretName} version {Version}.")]
    public static partial void RefreshJoined(ILogger logger, string client, RefreshTrigger trigger, string secretName, string? version);

    [LoggerMessage(1003, LogLevel.Warning, "Refresh of client {Client} ({Trigger}) refused, {Reason}: {Message} Retry after {RetryAfter}.")]
    public static partial void RefreshThrottled(ILogger logger, string client, RefreshTrigger trigger, string reason, string? message, TimeSpan? retryAfter);

    [LoggerMessage(1004, LogLevel.Warning, "Token request of client {Client} not sent (blocked by Welkin: {BlockedByWelkin}); next permit in {RetryAfter}.")]
    public static partial void RateGuardRefused(ILogger logger, string client, bool blockedByWelkin, TimeSpan retryAfter);

    [LoggerMessage(1005, LogLevel.Warning, "Welkin answered client {Client} without expiresAt; the token's exp claim ({ExpiresAt:O}) is used.")]
    public static partial void ExpiryFromJwtClaim(ILogger logger, string client, DateTimeOffset expiresAt);

    [LoggerMessage(1009, LogLevel.Information, "Welkin's api-clients answer for client {Client} carries no expiry, as that API never does; the token's exp claim ({ExpiresAt:O}) is used.")]
    public static partial void ExpiryFromApiClientsJwt(ILogger logger, string client, DateTimeOffset expiresAt);

    [LoggerMessage(1006, LogLevel.Warning, "Welkin answered client {Client} without expiresAt and the token has no exp claim; the documented one-hour lifetime is assumed ({ExpiresAt:O}).")]
    public static partial void ExpiryAssumed(ILogger logger, string client, DateTimeOffset expiresAt);

    [LoggerMessage(1007, LogLevel.Warning, "Welkin's expiresAt for client {Client} is not an ISO 8601 timestamp; the token's exp claim ({ExpiresAt:O}) is used.")]
    public static partial void ExpiresAtUnparseable(ILogger logger, string client, DateTimeOffset expiresAt);

    [LoggerMessage(1008, LogLevel.Warning, "Welkin answered 429 Too Many Requests to client {Client}; no token request is sent for {Block}.")]
    public static partial void WelkinBlocked(ILogger logger, string client, TimeSpan block);

    [LoggerMessage(1010, LogLevel.Information, "Token request attempt of client {Client} to {Host} answered {StatusCode} in {ElapsedMilliseconds:F0} ms.")]
    public static partial void WelkinAttemptAnswered(ILogger logger, string client, string? host, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(1011, LogLevel.Information, "Token request attempt of client {Client} to {Host} failed ({ExceptionType}) after {ElapsedMilliseconds:F0} ms.")]
    public static partial void WelkinAttemptFailed(ILogger logger, string client, string? host, string exceptionType, double elapsedMilliseconds);

    [LoggerMessage(2001, LogLevel.Error, "Refresh of client {Client} ({Trigger}, {Reason}) failed, Welkin {Category}: {Message}")]
    public static partial void WelkinRefreshFailed(ILogger logger, string client, RefreshTrigger trigger, string reason, string category, string message);

    [LoggerMessage(2002, LogLevel.Error, "Refresh of client {Client} ({Trigger}) failed, Key Vault {Category}: {Message}")]
    public static partial void VaultRefreshFailed(ILogger logger, string client, RefreshTrigger trigger, string category, string message);

    [LoggerMessage(2004, LogLevel.Error, "Refresh of client {Client} ({Trigger}) not attempted, configuration-invalid: {Message}")]
    public static partial void ConfigurationInvalid(ILogger logger, string client, RefreshTrigger trigger, string message);

    [LoggerMessage(2005, LogLevel.Error, "Refresh of client {Client} ({Trigger}) failed, internal-error: {Message}")]
    public static partial void RefreshInternalError(ILogger logger, string client, RefreshTrigger trigger, string message);

    [LoggerMessage(2003, LogLevel.Error, "Token status of client {Client} could not be read, Key Vault {Category}: {Message}")]
    public static partial void StatusReadFailed(ILogger logger, string client, string category, string message);

    [LoggerMessage(1200, LogLevel.Warning, "Unknown setting {Setting}: {Warning}")]
    public static partial void UnknownSetting(ILogger logger, string setting, string warning);
}
