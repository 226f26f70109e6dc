using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// The refresh lock of every process on one machine without host storage (the CLI in cron jobs, containers sharing a
/// host's directory): an exclusive OS lock on <c>{directory}/{secret name}.lock</c>, which the OS releases when its holder
/// exits or dies, and the shared <see cref="RefreshLockState"/> in <c>{secret name}.state</c> beside it, so the
/// <see cref="CrossInstanceRefreshGate"/> waits, re-reads and joins exactly as it does with the blob lease. The directory is
/// created owner-only and refused when another user owns it, it is a symbolic link, or others may write to it: whoever
/// could write there could hold the lock or forge its state.
/// </summary>
internal sealed class FileRefreshLeaseStore(string directory, ILogger<FileRefreshLeaseStore> logger) : IRefreshLeaseStore
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // The OS reports a lock another open file holds as a sharing violation: EWOULDBLOCK from flock on Linux (11) and on
    // macOS and the BSDs (35), ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows.
    private static readonly int[] LockedByAnother = [11, 35, unchecked((int)0x80070020), unchecked((int)0x80070021)];

    private readonly Lazy<string?> _usableDirectory = new(() => Prepare(directory, logger));

    public string Directory => directory;

    public Task<LeaseAttempt> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        if (_usableDirectory.Value is not { } usable)
        {
            return Task.FromResult(LeaseAttempt.Unavailable);
        }

        var lockPath = Path.Combine(usable, name + ".lock");
        var statePath = Path.Combine(usable, name + ".state");
        // FileShare.None is an exclusive OS lock (flock on Unix): a second open, in this process or another, is refused.
        var exclusive = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            exclusive.UnixCreateMode = OwnerOnlyFile;
        }

        FileStream held;
        try
        {
            held = new FileStream(lockPath, exclusive);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException) && LockedByAnother.Contains(e.HResult))
        {
            return Task.FromResult(new LeaseAttempt(LeaseAttemptResult.Busy, ReadState(statePath), null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CoordinationLog.StorageUnavailable(logger, Describe(usable), e.GetType().Name);
            return Task.FromResult(LeaseAttempt.Unavailable);
        }

        return Task.FromResult(new LeaseAttempt(LeaseAttemptResult.Acquired, ReadState(statePath), new FileRefreshLease(held, statePath, logger)));
    }

    public Task<RefreshLockState?> ReadStateAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_usableDirectory.Value is { } usable ? TryReadState(Path.Combine(usable, name + ".state")) : null);

    /// <summary>The lock directory as log lines name it.</summary>
    private static string Describe(string directory) => $"lock directory {directory}";

    /// <summary>The state as last saved; a missing or unreadable file reads as "nothing known", as garbled blob metadata does.</summary>
    private static RefreshLockState ReadState(string statePath) => TryReadState(statePath) ?? RefreshLockState.Empty;

    /// <summary>The state as last saved, or null when nothing was saved yet or the file cannot be read.</summary>
    private static RefreshLockState? TryReadState(string statePath)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(statePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (reader.ReadLine() is { } line)
            {
                if (line.IndexOf('=', StringComparison.Ordinal) is var at and > 0)
                {
                    metadata[line[..at]] = line[(at + 1)..];
                }
            }

            return RefreshLockState.FromMetadata(metadata);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The directory, created owner-only, or null (with a warning) when it cannot be trusted or used.</summary>
    private static string? Prepare(string directory, ILogger logger)
    {
        if (FileLockingDisabled())
        {
            CoordinationLog.StorageUnavailable(logger, Describe(directory), "file locking is turned off in this process (DOTNET_SYSTEM_IO_DISABLEFILELOCKING)");
            return null;
        }

        try
        {
            var path = Path.GetFullPath(directory);
            var info = OperatingSystem.IsWindows() ? System.IO.Directory.CreateDirectory(path) : System.IO.Directory.CreateDirectory(path, OwnerOnlyDirectory);
            if (info.LinkTarget is not null)
            {
                CoordinationLog.StorageUnavailable(logger, Describe(path), "it is a symbolic link, which is not followed; remove the link");
                return null;
            }

            if (!OperatingSystem.IsWindows())
            {
                // Only the owner may change a directory's mode: this both checks who owns it and makes it owner-only.
                File.SetUnixFileMode(path, OwnerOnlyDirectory);
            }

            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CoordinationLog.StorageUnavailable(logger, Describe(directory), e is UnauthorizedAccessException
                ? "it belongs to another user or cannot be written; remove it, or give this user a directory of its own"
                : e.GetType().Name);
            return null;
        }
    }

    /// <summary>The runtime's switch that makes FileShare.None lock nothing on Unix.</summary>
    private static bool FileLockingDisabled() =>
        (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
        || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is { } value
            && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
