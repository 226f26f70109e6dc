using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Functions.Functions;

/// <summary>
/// Ticks on Refresh:Schedule (every 5 minutes by default) and refreshes every client whose token is due, since cron
/// cannot say "every 50 minutes" and a failed run is otherwise not retried until the next tick. Clients run at once and
/// independently; the invocation fails after all have run when any of them failed.
/// </summary>
public sealed class RefreshOnSchedule(ITokenRefresherRegistry registry)
{
    [Function(nameof(RefreshOnSchedule))]
    public async Task Run([TimerTrigger("%Refresh:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcomes = await registry.RefreshAllAsync(RefreshTrigger.Schedule, force: false, cancellationToken);
        // A failed refresh must be a failed invocation, so it shows in Application Insights and its alerts.
        var failures = outcomes.Where(o => o.Status != RefreshStatus.Succeeded).ToList();
        if (failures.Count > 0)
        {
            throw new ScheduledRefreshFailedException(failures, outcomes.Count);
        }
    }
}
