namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

public enum IncidentKind
{
    WelkinOutage,
    Welkin5xxBurst,
    WelkinTimeouts,
    WelkinMalformed,
    Welkin429,
    VaultReadFault,
    VaultWriteFault,
    Restart,
}

/// <summary>One scheduled fault of the simulated month.</summary>
/// <param name="Minute">Minutes from the start of the month.</param>
/// <param name="Kind">What happens.</param>
/// <param name="Length">For an outage, its length in minutes; for bursts, how many requests fail.</param>
/// <param name="Detail">A status code, a malformed-answer kind or a Retry-After in seconds (0 = none).</param>
public sealed record Incident(int Minute, IncidentKind Kind, int Length, int Detail);
