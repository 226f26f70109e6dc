using WelkinTokenRefresher.ReliabilityTests.Simulation;
using Xunit.Abstractions;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// A month of faults on fake time (see <see cref="MonthSimulation"/>). Deterministic for a seed; the table it prints is
/// the one in docs/reliability.md. It fails with the rate guard disabled (requests into a block), with
/// <c>DueRule.TickTolerance</c> at zero (55-minute cycles) and with a 429's block counted from the answer (ticks held back).
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
            $"{o.Outage.Kind} of {o.Outage.Length} min at minute {o.Outage.Minute} left {o.UncoveredMinutes} min uncovered (bound {o.TickBound})."));
        Assert.All(report.Outages.Where(o => o.Outage.Length <= 5), o => Assert.Equal(0, o.UncoveredMinutes));
        Assert.Empty(report.GapsOutsideOutages);
        // The rate guard: never more than our ceiling, never a request into a block Welkin holds (the emulator refuses and
        // counts it), and never a tick held back once Welkin's block, counted from the request it refused, has ended.
        Assert.InRange(report.MaxRequestsInAnyFiveMinutes, 1, 10);
        Assert.Equal(0, report.EmulatorBlocks);
        Assert.Contains(report.Outages, o => o.Outage.Kind == IncidentKind.WelkinBlock && o.Outage.Length > 5);
        Assert.Equal(0, report.RequestsIntoBlocks);
        Assert.Empty(report.TicksHeldBackAfterBlocks);
        // The due rule: with Welkin answering in seconds, a token is stamped after its tick, yet the cycle stays at 50 minutes.
        Assert.NotEmpty(report.FaultFreeIntervals);
        Assert.All(report.FaultFreeIntervals, minutes => Assert.Equal(50, minutes));
        Assert.NotEmpty(report.FaultFreeDayRequests);
        Assert.All(report.FaultFreeDayRequests, n => Assert.InRange(n, MonthReport.IdealPerDay * 0.9, MonthReport.IdealPerDay * 1.1));
    }
}
