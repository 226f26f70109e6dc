using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// A held lock file. Released by closing it, or by the OS when the process exits or dies, so a dead holder never blocks
/// the next refresh and nothing needs renewing.
/// </summary>
internal sealed class FileRefreshLease(FileStream lockFile, string statePath, ILogger logger) : IRefreshLease
{
    private int _released;

    public async Task SaveAndReleaseAsync(RefreshLockState state)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            // Written beside the state and renamed over it while the lock is held: a waiter reading it sees the old
            // state or the new one, never half of either. Only the holder writes, so one temporary name is enough.
            var written = statePath + ".tmp";
            var lines = state.ToMetadata().Select(entry => $"{entry.Key}={entry.Value}");
            await File.WriteAllLinesAsync(written, lines);
            File.Move(written, statePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CoordinationLog.StateNotSaved(logger, statePath, e.GetType().Name);
        }
        finally
        {
            await lockFile.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await lockFile.DisposeAsync();
        }
    }
}
