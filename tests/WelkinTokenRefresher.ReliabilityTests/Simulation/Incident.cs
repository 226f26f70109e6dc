namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

public enum IncidentKind
{
    /// <summary>Every token request fails with one 5xx status for 2–90 minutes.</summary>
    WelkinOutage,

    /// <summary>A burst of 5xx answers lasting 15–40 minutes.</summary>
    Welkin5xxBurst,

    /// <summary>For 10–40 minutes every answer takes 16–25 s, past the client's 15 s timeout.</summary>
    WelkinSlow,

    /// <summary>One malformed 200 answer.</summary>
    WelkinMalformed,

    /// <summary>Welkin blocks the API client from the next token request on, with or without Retry-After.</summary>
    WelkinBlock,

    VaultReadFault,
    VaultWriteFault,
    Restart,
}

/// <summary>One scheduled fault of the simulated month.</summary>
/// <param name="Minute">Minutes from the start of the month.</param>
/// <param name="Kind">What happens.</param>
/// <param name="Length">For outages, bursts, slow spells and blocks, their length in minutes.</param>
/// <param name="Detail">A status code, a malformed-answer kind, or for a block 1 when it sends Retry-After and 0 when not.</param>
public sealed record Incident(int Minute, IncidentKind Kind, int Length, int Detail);
