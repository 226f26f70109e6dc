using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Functions.Functions;

/// <summary>Fails the timer invocation. Its message comes from the outcome, which never holds the token or the secret.</summary>
public sealed class ScheduledRefreshFailedException(RefreshOutcome outcome)
    : Exception($"Scheduled refresh of secret '{outcome.SecretName}' failed ({outcome.FailureCategory ?? outcome.Reason}): {outcome.Message}")
{
    public RefreshOutcome Outcome { get; } = outcome;
}
