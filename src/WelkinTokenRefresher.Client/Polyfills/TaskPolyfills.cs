#if NETSTANDARD2_0
namespace WelkinTokenRefresher.Client.Polyfills;

/// <summary><c>Task.WaitAsync(CancellationToken)</c> (.NET 6), through Microsoft.Bcl.TimeProvider's timeout overload.</summary>
internal static class TaskPolyfills
{
    public static Task<T> WaitAsync<T>(this Task<T> task, CancellationToken cancellationToken) =>
        task.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
}
#endif
