namespace WelkinTokenRefresher.TestSupport.Time;

/// <summary>
/// A clock whose time stands still while its timers run in real time. Code that polls or renews on it still does so, but
/// no deadline or window measured on it ever passes: a test of single flight or of a shared budget then counts what it
/// claims to count, however long a loaded machine takes, and bounds its own waits instead.
/// </summary>
public sealed class PausedClock(DateTimeOffset now) : TimeProvider
{
    private readonly long _timestamp = TimeProvider.System.GetTimestamp();

    /// <summary>A clock paused at the real current time, to the whole second (as blob metadata and Key Vault keep times).</summary>
    public PausedClock()
        : this(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()))
    {
    }

    public override DateTimeOffset GetUtcNow() => now;

    public override long GetTimestamp() => _timestamp;
}
