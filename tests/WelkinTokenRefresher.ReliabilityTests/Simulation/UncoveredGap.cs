namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>Minutes without a token valid for 5 more minutes that no outage explains, and the incident before them.</summary>
public sealed record UncoveredGap(Incident? Cause, int Minutes)
{
    public override string ToString() => Cause is null
        ? $"{Minutes} min before any incident"
        : $"{Minutes} min after {Cause.Kind} ({Cause.Length}x, detail {Cause.Detail}) at minute {Cause.Minute}";
}
