using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Functions.Functions;

/// <summary>
/// Ticks on Refresh:Schedule (every 5 minutes by default) and refreshes only when the vault's token is due, since cron
/// cannot say "every 50 minutes" and a failed run is otherwise not retried until the next tick.
/// </summary>
public sealed class RefreshOnSchedule(ITokenRefresher refresher)
{
    [Function(nameof(RefreshOnSchedule))]
    public async Task Run([TimerTrigger("%Refresh:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcome = await refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, cancellationToken);
        // A failed refresh must be a failed invocation, so it shows in Application Insights and its alerts.
        if (outcome.Status != RefreshStatus.Succeeded)
        {
            throw new ScheduledRefreshFailedException(outcome);
        }
    }
}
