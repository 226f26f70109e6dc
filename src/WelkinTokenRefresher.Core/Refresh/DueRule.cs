using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Vault;

namespace WelkinTokenRefresher.Core.Refresh;

public readonly record struct DueDecision(bool IsDue, string Reason);

/// <summary>
/// Whether the vault's token needs replacing. With one-hour tokens and a five-minute tick this refreshes about every
/// 50 minutes, and a failed refresh is tried again at the next tick rather than 50 minutes later.
/// </summary>
public static class DueRule
{
    /// <summary>
    /// How early the age and near-expiry thresholds count as reached. The token is stamped when it arrives, a moment after
    /// the tick that fetched it, so the tick 50 minutes later finds it a second short of 50 minutes; without this slack
    /// every refresh would slip a whole tick, to 55 minutes with 5 minutes of life left.
    /// </summary>
    public static readonly TimeSpan TickTolerance = TimeSpan.FromMinutes(1);

    public static DueDecision Evaluate(VaultReading reading, DateTimeOffset now, RefreshOptions options) => reading switch
    {
        { State: VaultTokenState.Missing } => new(true, RefreshReasons.NoToken),
        { State: VaultTokenState.Disabled } => new(true, RefreshReasons.Disabled),
        { Token: { } token } when !token.IsValidAt(now) => new(true, RefreshReasons.Expired),
        { Token: { } token } when now >= token.IssuedAt + options.RefreshAfter - TickTolerance => new(true, RefreshReasons.RefreshAfterElapsed),
        { Token: { ExpiresAt: { } expiresAt } } when now >= expiresAt - options.RefreshBeforeExpiry - TickTolerance => new(true, RefreshReasons.NearExpiry),
        _ => new(false, RefreshReasons.NotDue),
    };
}
