namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>Who asked for the refresh; it shows in logs and metrics.</summary>
public enum RefreshTrigger
{
    Schedule,
    OnDemand,
    CommandLine,
}
