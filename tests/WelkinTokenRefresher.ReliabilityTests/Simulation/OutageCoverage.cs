namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>A span in which Welkin could not issue a token: an outage, a 5xx burst, a slow spell or a block.</summary>
/// <param name="Kind">The incident behind it.</param>
/// <param name="Minute">When it began (for a block: when the request it refused arrived).</param>
/// <param name="Length">Its length in minutes.</param>
public sealed record UnavailableWindow(IncidentKind Kind, int Minute, int Length);

/// <summary>How one span without Welkin showed in the vault: minutes without a token valid for 5 more minutes.</summary>
/// <param name="Outage">The span.</param>
/// <param name="UncoveredMinutes">Minutes, during or shortly after it, in which the vault held no token valid for 5 more minutes.</param>
public sealed record OutageCoverage(UnavailableWindow Outage, int UncoveredMinutes)
{
    private const int Tick = 5;

    /// <summary>The target: nothing for outages up to 5 minutes, never more than the outage's length minus 5.</summary>
    public int Target => Math.Max(0, Outage.Length - 5);

    /// <summary>
    /// The target as a 5-minute timer can meet it: the first tick after an outage comes up to 4 minutes after its end,
    /// so the outage counts as rounded up to whole ticks.
    /// </summary>
    public int TickBound => Math.Max(0, (Outage.Length + Tick - 1) / Tick * Tick - 5);
}
