using System.Diagnostics;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Testing;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;

namespace WelkinTokenRefresher.Tests.Coordination;

/// <summary>
/// The lock of processes on one machine without host storage: an exclusive OS lock per secret that the OS releases when
/// its holder dies, the shared state beside it, and a directory nobody else can write to. Each test has a directory of its
/// own and removes it. Unix only (the CI runs Linux): Windows has neither file modes nor flock(1).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class FileRefreshLeaseStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("welkin-lock-test-").FullName;
    private readonly FakeLogger<FileRefreshLeaseStore> _logger = new();

    private string LockDirectory => Path.Combine(_root, "welkin-token");

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Assert.False(Directory.Exists(_root));
    }

    private FileRefreshLeaseStore Store() => new(LockDirectory, _logger);

    [Fact]
    public async Task One_holder_per_secret_at_a_time_and_the_next_one_reads_what_the_last_saved()
    {
        var first = Store();
        var second = Store();

        var held = await first.TryAcquireAsync("welkin-api-token", CancellationToken.None);
        var busy = await second.TryAcquireAsync("welkin-api-token", CancellationToken.None);
        var otherSecret = await second.TryAcquireAsync("welkin-api-token-live", CancellationToken.None);

        Assert.Equal(LeaseAttemptResult.Acquired, held.Result);
        Assert.Equal(RefreshLockState.Empty, held.State);
        Assert.Equal(LeaseAttemptResult.Busy, busy.Result);
        Assert.Null(busy.Lease);
        Assert.Equal(LeaseAttemptResult.Acquired, otherSecret.Result);

        var saved = RefreshLockState.Empty.After(
            new RefreshOutcome(RefreshStatus.Succeeded, true, RefreshReasons.NoToken, "welkin-api-token", new Core.Vault.StoredToken("welkin-api-token", "v1", Now, Now.AddHours(1))),
            [Now.AddSeconds(-1)], null, Now);
        await held.Lease!.SaveAndReleaseAsync(saved);
        var next = await second.TryAcquireAsync("welkin-api-token", CancellationToken.None);

        Assert.Equal(LeaseAttemptResult.Acquired, next.Result);
        Assert.Equal(("v1", 1L, RefreshStatus.Succeeded), (next.State.Version, next.State.Attempts, next.State.LastStatus));
        Assert.Equal([Now.AddSeconds(-1)], next.State.Requests);
        await next.Lease!.DisposeAsync();
        await otherSecret.Lease!.DisposeAsync();
        Assert.Equal(["welkin-api-token-live.lock", "welkin-api-token.lock", "welkin-api-token.state"],
            Directory.EnumerateFiles(LockDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_waiter_sees_the_state_the_holder_found_and_a_release_without_saving_keeps_it()
    {
        var store = Store();
        var first = await store.TryAcquireAsync("s", CancellationToken.None);
        await first.Lease!.SaveAndReleaseAsync(RefreshLockState.Empty with { Version = "v1", Attempts = 4 });
        var holder = await store.TryAcquireAsync("s", CancellationToken.None);

        var busy = await Store().TryAcquireAsync("s", CancellationToken.None);
        await holder.Lease!.DisposeAsync();
        var after = await Store().TryAcquireAsync("s", CancellationToken.None);

        Assert.Equal((LeaseAttemptResult.Busy, "v1", 4L), (busy.Result, busy.State.Version, busy.State.Attempts));
        Assert.Equal((LeaseAttemptResult.Acquired, "v1", 4L), (after.Result, after.State.Version, after.State.Attempts));
        await after.Lease!.DisposeAsync();
    }

    [Fact]
    public async Task The_OS_releases_the_lock_of_a_process_that_dies()
    {
        Directory.CreateDirectory(LockDirectory);
        // util-linux flock(1) takes the same flock(2) lock the store takes, in a process the test can kill; --close keeps
        // the lock in flock itself rather than also in its child.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", Path.Combine(LockDirectory, "s.lock"), "sleep", "120"]) { UseShellExecute = false })!;
        var store = Store();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await store.TryAcquireAsync("s", CancellationToken.None)) is { Result: LeaseAttemptResult.Acquired } early)
        {
            // flock(1) has not taken it yet.
            await early.Lease!.DisposeAsync();
            await Task.Delay(20, guard.Token);
        }

        var busy = await store.TryAcquireAsync("s", CancellationToken.None);
        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync(guard.Token);
        var after = await store.TryAcquireAsync("s", CancellationToken.None);
        while (after.Result == LeaseAttemptResult.Busy && !guard.IsCancellationRequested)
        {
            // The kernel closes a killed process's files as it reaps it, a moment after the parent sees it exit.
            await Task.Delay(20, CancellationToken.None);
            after = await store.TryAcquireAsync("s", CancellationToken.None);
        }

        Assert.Equal(LeaseAttemptResult.Busy, busy.Result);
        Assert.Equal(LeaseAttemptResult.Acquired, after.Result);
        await after.Lease!.DisposeAsync();
    }

    [Fact]
    public async Task Its_directory_and_lock_files_are_the_owners_alone_even_when_the_directory_was_open_to_all()
    {
        Directory.CreateDirectory(LockDirectory);
        File.SetUnixFileMode(LockDirectory, (UnixFileMode)0b111_111_111);

        var attempt = await Store().TryAcquireAsync("s", CancellationToken.None);
        await attempt.Lease!.SaveAndReleaseAsync(RefreshLockState.Empty);

        Assert.Equal(LeaseAttemptResult.Acquired, attempt.Result);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(LockDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(LockDirectory, "s.lock")));
    }

    [Fact]
    public async Task A_symbolic_link_in_its_place_is_not_followed_and_the_refresh_goes_ahead_without_the_lock()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        Directory.CreateSymbolicLink(LockDirectory, elsewhere);

        var attempt = await Store().TryAcquireAsync("s", CancellationToken.None);

        Assert.Equal(LeaseAttemptResult.Unavailable, attempt.Result);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        var warning = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(1101, warning.Id.Id);
        Assert.Contains($"lock directory {LockDirectory}", warning.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_reads_the_saved_state_without_the_lock_and_nothing_before_anything_was_saved()
    {
        var store = Store();
        Assert.Null(await store.ReadStateAsync("welkin-api-token", CancellationToken.None));

        var held = await store.TryAcquireAsync("welkin-api-token", CancellationToken.None);
        Assert.Null(await store.ReadStateAsync("welkin-api-token", CancellationToken.None));
        var saved = RefreshLockState.Empty.After(
            new RefreshOutcome(RefreshStatus.Succeeded, true, RefreshReasons.NoToken, "welkin-api-token", new Core.Vault.StoredToken("welkin-api-token", "v1", Now, Now.AddHours(1))),
            [Now.AddSeconds(-2), Now.AddSeconds(-1)], Now.AddMinutes(3), Now);
        await held.Lease!.SaveAndReleaseAsync(saved);
        var other = await Store().TryAcquireAsync("welkin-api-token", CancellationToken.None);

        // Read while another holds the lock: status never waits for a refresh.
        var read = await store.ReadStateAsync("welkin-api-token", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal([Now.AddSeconds(-2), Now.AddSeconds(-1)], read.Requests);
        Assert.Equal(Now.AddMinutes(3), read.BlockedUntil);
        await other.Lease!.DisposeAsync();
    }

    [Fact]
    public async Task A_garbled_state_file_reads_as_nothing_known()
    {
        Directory.CreateDirectory(LockDirectory);
        await File.WriteAllTextAsync(Path.Combine(LockDirectory, "s.state"), "attempts=many\nversion\n=v2\nrequests=x 12 y\n");

        var attempt = await Store().TryAcquireAsync("s", CancellationToken.None);

        Assert.Equal((LeaseAttemptResult.Acquired, null, 0L), (attempt.Result, attempt.State.Version, attempt.State.Attempts));
        Assert.Equal([DateTimeOffset.FromUnixTimeMilliseconds(12)], attempt.State.Requests);
        await attempt.Lease!.DisposeAsync();
    }
}
