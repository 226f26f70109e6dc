namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>A held lease. Disposing releases it without saving; a holder that dies leaves it to expire by itself.</summary>
internal interface IRefreshLease : IAsyncDisposable
{
    /// <summary>Saves the shared state for the next holder, then releases. Storage failures are logged, not thrown.</summary>
    Task SaveAndReleaseAsync(RefreshLockState state);
}
