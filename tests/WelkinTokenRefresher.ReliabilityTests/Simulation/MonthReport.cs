using System.Globalization;
using System.Text;

namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>The figures of one simulated month.</summary>
public sealed record MonthReport(
    int Seed,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyList<OutageCoverage> Outages,
    IReadOnlyList<UncoveredGap> GapsOutsideOutages,
    int MaxRequestsInAnyFiveMinutes,
    int EmulatorPeakInWindow,
    long EmulatorBlocks,
    long RequestsIntoBlocks,
    IReadOnlyList<int> TicksHeldBackAfterBlocks,
    IReadOnlyList<int> RequestsPerDay,
    IReadOnlyList<bool> FaultFreeDays,
    IReadOnlyList<double> FaultFreeIntervals,
    int Restarts,
    TimeSpan WallTime)
{
    /// <summary>One token every 50 minutes.</summary>
    public const double IdealPerDay = 1440.0 / 50;

    public int UncoveredMinutesOutsideOutages => GapsOutsideOutages.Sum(g => g.Minutes);

    public int TotalRequests => RequestsPerDay.Sum();

    public IEnumerable<int> FaultFreeDayRequests => RequestsPerDay.Where((_, day) => FaultFreeDays[day]);

    public string Table()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Simulated month, seed {Seed}: 30 days at the 5-minute tick, {Incidents.Count} incidents, {Restarts} restarts, {WallTime.TotalSeconds:F1} s wall time");
        text.AppendLine();
        text.AppendLine("| incidents by kind | count |");
        text.AppendLine("|---|---|");
        foreach (var group in Incidents.GroupBy(i => i.Kind).OrderBy(g => g.Key))
        {
            text.AppendLine(c, $"| {group.Key} | {group.Count()} |");
        }

        text.AppendLine();
        text.AppendLine("| Welkin unavailable (day hh:mm) | why | length (min) | minutes without a token valid 5 more min | target max(0, L-5) | tick bound |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var outage in Outages)
        {
            var start = TimeSpan.FromMinutes(outage.Outage.Minute);
            text.AppendLine(c, $"| {start.Days + 1} {start:hh\\:mm} | {outage.Outage.Kind} | {outage.Outage.Length} | {outage.UncoveredMinutes} | {outage.Target} | {outage.TickBound} |");
        }

        text.AppendLine();
        text.AppendLine("| figure | measured | target |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(c, $"| minutes without Welkin (outages, 5xx bursts, slow spells, blocks) | {Outages.Sum(o => o.Outage.Length)} | |");
        text.AppendLine(c, $"| minutes without a token valid 5 more min, in those spans | {Outages.Sum(o => o.UncoveredMinutes)} | <= sum of max(0, L-5) = {Outages.Sum(o => o.Target)} |");
        text.AppendLine(c, $"| minutes without a token valid 5 more min, outside them | {UncoveredMinutesOutsideOutages} {string.Join("; ", GapsOutsideOutages)} | 0 |");
        text.AppendLine(c, $"| most Welkin token requests in any rolling 5 min | {MaxRequestsInAnyFiveMinutes} (emulator's own count {EmulatorPeakInWindow}) | <= 10 (Welkin:MaxTokenRequestsPer5Minutes) |");
        text.AppendLine(c, $"| emulator 100/5-min blocks | {EmulatorBlocks} | 0 |");
        text.AppendLine(c, $"| token requests sent into a Welkin block | {RequestsIntoBlocks} | 0 |");
        text.AppendLine(c, $"| ticks our guard held back after Welkin's block had ended | {TicksHeldBackAfterBlocks.Count} {string.Join(" ", TicksHeldBackAfterBlocks)} | 0 |");
        text.AppendLine(c, $"| minutes between refreshes on fault-free days | {(FaultFreeIntervals.Count == 0 ? "-" : $"{FaultFreeIntervals.Min():F2}-{FaultFreeIntervals.Max():F2}")} | 50 |");
        text.AppendLine(c, $"| Welkin token requests, whole month | {TotalRequests} | ideal {IdealPerDay * FaultPlan.Days:F0} |");
        var quiet = FaultFreeDayRequests.ToList();
        text.AppendLine(c, $"| fault-free days | {quiet.Count}: {string.Join(", ", quiet)} requests/day | {IdealPerDay:F1} +- 10% |");
        text.AppendLine();
        text.AppendLine(c, $"Welkin token requests per day: {string.Join(" ", RequestsPerDay)}");
        return text.ToString();
    }
}
