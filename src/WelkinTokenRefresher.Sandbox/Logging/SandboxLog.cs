using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.Sandbox.Logging;

// Messages name clients, outcomes and times; never a token, the API secret or a secret value.
internal static partial class SandboxLog
{
    [LoggerMessage(1, LogLevel.Information, "Sandbox started: Welkin {WelkinBaseUrl}, Key Vault {VaultUri}, managed identity {IdentityEndpoint}")]
    public static partial void SandboxStarted(this ILogger logger, Uri welkinBaseUrl, Uri vaultUri, Uri identityEndpoint);

    [LoggerMessage(10, LogLevel.Debug, "Welkin token issued to API client {ApiClient}, expires {ExpiresAt:o}")]
    public static partial void WelkinTokenIssued(this ILogger logger, string apiClient, DateTimeOffset expiresAt);

    [LoggerMessage(11, LogLevel.Information, "Welkin token request rejected: invalid credentials")]
    public static partial void WelkinCredentialsRejected(this ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "Welkin API client blocked by the rate limit until {BlockedUntil:o}")]
    public static partial void WelkinClientBlocked(this ILogger logger, DateTimeOffset blockedUntil);

    [LoggerMessage(13, LogLevel.Information, "Welkin fault injected: {Kind}")]
    public static partial void WelkinFaultApplied(this ILogger logger, WelkinFaultKind kind);

    [LoggerMessage(14, LogLevel.Debug, "Welkin ping rejected: {ErrorCode}")]
    public static partial void WelkinPingRejected(this ILogger logger, string errorCode);

    [LoggerMessage(20, LogLevel.Debug, "Key Vault {Operation} on '{Name}' answered {StatusCode}")]
    public static partial void VaultOperation(this ILogger logger, KeyVaultOperation operation, string name, int statusCode);

    [LoggerMessage(21, LogLevel.Information, "Key Vault bearer token rejected: {Reason}")]
    public static partial void VaultTokenRejected(this ILogger logger, string reason);

    [LoggerMessage(22, LogLevel.Information, "Key Vault fault injected on {Operation} (status {StatusCode}; 0 = delay or reset)")]
    public static partial void VaultFaultApplied(this ILogger logger, KeyVaultOperation operation, int statusCode);

    [LoggerMessage(30, LogLevel.Debug, "Managed identity token issued to client {ClientId} for {Resource}")]
    public static partial void IdentityTokenIssued(this ILogger logger, string clientId, string resource);
}
