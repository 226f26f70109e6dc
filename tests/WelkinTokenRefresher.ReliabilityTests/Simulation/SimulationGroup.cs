namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>The simulated month runs with no other test beside it: its clock steps over idle waits only (see MonthSimulation).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SimulationGroup
{
    public const string Name = "Simulation";
}
