namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>When to refresh. Bound from the <c>Refresh</c> configuration section.</summary>
public sealed class RefreshOptions
{
    public const string SectionName = "Refresh";

    /// <summary>NCRONTAB of the timer. Cron cannot say "every 50 minutes", so the timer ticks often and the due rule decides.</summary>
    public string Schedule { get; set; } = "0 */5 * * * *";

    public TimeSpan RefreshAfter { get; set; } = TimeSpan.FromMinutes(50);

    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A forced refresh is refused while the vault's token is younger than this.</summary>
    public TimeSpan MinForceInterval { get; set; } = TimeSpan.FromMinutes(1);
}
