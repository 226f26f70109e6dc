using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>Log lines of the cross-instance lock, event ids 1100-1119. None takes a connection string, token or secret.</summary>
internal static partial class CoordinationLog
{
    [LoggerMessage(1100, LogLevel.Information, "No AzureWebJobsStorage is configured: refreshes are single-flight within this instance only.")]
    public static partial void NotConfigured(ILogger logger);

    [LoggerMessage(1101, LogLevel.Warning, "The refresh lock in {Storage} could not be used ({Problem}); this refresh goes ahead with the in-process single flight only.")]
    public static partial void StorageUnavailable(ILogger logger, string storage, string problem);

    [LoggerMessage(1102, LogLevel.Warning, "The refresh lock's state could not be saved or its lease released ({Problem}); the lease expires by itself within {LeaseDuration}.")]
    public static partial void ReleaseFailed(ILogger logger, string problem, TimeSpan leaseDuration);

    [LoggerMessage(1103, LogLevel.Information, "Another instance holds the refresh lock of client {Client} (secret {SecretName}); waiting up to {MaxWait} for its result.")]
    public static partial void WaitingForHolder(ILogger logger, string client, string secretName, TimeSpan maxWait);

    [LoggerMessage(1104, LogLevel.Warning, "The refresh lock of client {Client} (secret {SecretName}) stayed taken for {MaxWait}; this request is answered 429.")]
    public static partial void HolderDidNotFinish(ILogger logger, string client, string secretName, TimeSpan maxWait);

    [LoggerMessage(1105, LogLevel.Information, "Secret {SecretName} of client {Client} got version {Version} from another instance while this one waited; it is not refreshed again.")]
    public static partial void RefreshedElsewhere(ILogger logger, string client, string secretName, string version);

    [LoggerMessage(1106, LogLevel.Warning, "The token requests of client {Client} shared by all instances are used up ({Used} of {Limit} in 5 minutes, or Welkin's block holds); next permit in {RetryAfter}.")]
    public static partial void SharedBudgetSpent(ILogger logger, string client, int used, int limit, TimeSpan retryAfter);

    [LoggerMessage(1107, LogLevel.Warning, "The refresh lease could not be renewed ({Problem}); it may expire before this refresh ends.")]
    public static partial void RenewFailed(ILogger logger, string problem);

    [LoggerMessage(1108, LogLevel.Warning, "The refresh lock's state could not be saved to {Path} ({Problem}); the lock is released, and the next holder may call Welkin once more.")]
    public static partial void StateNotSaved(ILogger logger, string path, string problem);
}
