using WelkinTokenRefresher.ReliabilityTests.Simulation;
using Xunit.Abstractions;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// A month of faults on fake time (see <see cref="MonthSimulation"/>). Deterministic for a seed; the table it prints is
/// the one in docs/reliability.md.
/// </summary>
[Collection(SimulationGroup.Name)]
public sealed class SimulatedMonthTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(20260301)]
    [InlineData(7)]
    public async Task A_month_of_faults_keeps_the_vault_covered_and_Welkin_unhurt(int seed)
    {
        var report = await MonthSimulation.RunAsync(seed);
        output.WriteLine(report.Table());

        Assert.All(report.Outages, o => Assert.True(o.UncoveredMinutes <= o.TickBound,
            $"Outage of {o.Outage.Length} min at minute {o.Outage.Minute} left {o.UncoveredMinutes} min uncovered (bound {o.TickBound})."));
        Assert.All(report.Outages.Where(o => o.Outage.Length <= 5), o => Assert.Equal(0, o.UncoveredMinutes));
        Assert.Empty(report.GapsOutsideOutages);
        Assert.InRange(report.MaxRequestsInAnyFiveMinutes, 1, 10);
        Assert.Equal(0, report.EmulatorBlocks);
        Assert.NotEmpty(report.FaultFreeDayRequests);
        Assert.All(report.FaultFreeDayRequests, n => Assert.InRange(n, MonthReport.IdealPerDay * 0.9, MonthReport.IdealPerDay * 1.1));
        Assert.True(report.WallTime < TimeSpan.FromMinutes(1), $"The month took {report.WallTime}.");
    }
}
