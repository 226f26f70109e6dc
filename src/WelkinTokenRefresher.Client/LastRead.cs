namespace WelkinTokenRefresher.Client;

/// <summary>
/// What the last finished vault read left behind: the earliest instant (UTC ticks) the next read may begin, and its failure
/// if it failed. Immutable: each read publishes a new one.
/// </summary>
internal sealed class LastRead(long nextReadAtTicks, WelkinTokenUnavailableException? failure)
{
    /// <summary>Before this instant no read begins; callers get the last outcome from memory.</summary>
    public long NextReadAtTicks { get; } = nextReadAtTicks;

    /// <summary>The failure of the last read, or null when it found a token.</summary>
    public WelkinTokenUnavailableException? Failure { get; } = failure;
}
