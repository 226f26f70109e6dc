namespace WelkinTokenRefresher.TestSupport.Time;

/// <summary>Waits in tests that end: each bounded in real time, failing with what was awaited instead of hanging.</summary>
public static class TaskBounds
{
    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="bound"/> of real time.</summary>
    /// <exception cref="TimeoutException">It did not complete in time; the message says what was awaited.</exception>
    public static async Task<T> WithinAsync<T>(this Task<T> task, TimeSpan bound, string awaited)
    {
        await ((Task)task).WithinAsync(bound, awaited).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <inheritdoc cref="WithinAsync{T}(Task{T}, TimeSpan, string)"/>
    public static async Task WithinAsync(this Task task, TimeSpan bound, string awaited)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(bound, TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException e) when (!task.IsCompleted)
        {
            throw new TimeoutException($"{awaited} did not happen within {bound} of real time.", e);
        }
    }
}
