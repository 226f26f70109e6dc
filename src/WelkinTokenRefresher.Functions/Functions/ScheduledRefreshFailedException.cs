using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Functions.Functions;

/// <summary>
/// Fails the timer invocation, naming each failed client and its category. Its message comes from the outcomes, which
/// never hold a token or a secret.
/// </summary>
public sealed class ScheduledRefreshFailedException(IReadOnlyList<RefreshOutcome> failures, int clients)
    : Exception($"Scheduled refresh failed for {failures.Count} of {clients} client(s): "
        + string.Join("; ", failures.Select(f => $"client '{f.Client}' (secret '{f.SecretName}') {f.FailureCategory ?? f.Reason}: {f.Message}")))
{
    /// <summary>The failed clients' outcomes, in client order.</summary>
    public IReadOnlyList<RefreshOutcome> Failures { get; } = failures;
}
