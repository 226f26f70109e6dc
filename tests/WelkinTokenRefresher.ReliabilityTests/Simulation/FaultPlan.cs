using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>
/// The seeded fault schedule of a simulated month. About a third of the days are fault-free (for the requests-per-day
/// figure); the others get one to three incidents, each in a three-hour block of its own, so each gap in token coverage
/// can be traced to the one incident that caused it. Welkin's faults last several ticks: outages, 5xx bursts, slow
/// spells and real blocks.
/// </summary>
public sealed class FaultPlan
{
    public const int Days = 30;
    public const int MinutesPerDay = 1440;

    public static readonly WelkinFaultKind[] MalformedKinds =
    [
        WelkinFaultKind.NotJson, WelkinFaultKind.Html, WelkinFaultKind.EmptyBody, WelkinFaultKind.JsonWithoutToken,
        WelkinFaultKind.EmptyToken, WelkinFaultKind.ExpiryInPast, WelkinFaultKind.ExpiryWithinMinute, WelkinFaultKind.HugeBody,
    ];

    private static readonly int[] ServerErrors = [500, 502, 503, 504];
    private static readonly int[] BlockMinutes = [1, 2, 5, 10, 15, 20, 30];

    private FaultPlan(IReadOnlyList<Incident> incidents) => Incidents = incidents;

    public IReadOnlyList<Incident> Incidents { get; }

    public bool IsFaultFree(int day) => !Incidents.Any(i => i.Minute / MinutesPerDay == day);

    public static FaultPlan Generate(int seed)
    {
        var random = new Random(seed);
        var incidents = new List<Incident>();
        for (var day = 0; day < Days; day++)
        {
            if (random.NextDouble() < 0.35)
            {
                continue;
            }

            // Eight three-hour blocks a day; each incident takes its own block (and leaves the last hour of it quiet).
            var blocks = Enumerable.Range(0, 8).OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Order();
            foreach (var block in blocks)
            {
                var minute = day * MinutesPerDay + block * 180 + random.Next(0, 60);
                incidents.Add(Next(random, minute));
            }
        }

        return new FaultPlan(incidents);
    }

    private static Incident Next(Random random, int minute)
    {
        var kind = (IncidentKind)random.Next(0, Enum.GetValues<IncidentKind>().Length);
        return kind switch
        {
            IncidentKind.WelkinOutage => new(minute, kind, random.Next(2, 91), ServerErrors[random.Next(ServerErrors.Length)]),
            IncidentKind.Welkin5xxBurst => new(minute, kind, random.Next(15, 41), ServerErrors[random.Next(ServerErrors.Length)]),
            IncidentKind.WelkinSlow => new(minute, kind, random.Next(10, 41), 0),
            IncidentKind.WelkinMalformed => new(minute, kind, 1, (int)MalformedKinds[random.Next(MalformedKinds.Length)]),
            // Without Retry-After Welkin's documented block is 5 minutes; with it, whole minutes, often longer than a tick.
            IncidentKind.WelkinBlock => random.Next(0, 3) == 0
                ? new(minute, kind, 5, 0)
                : new(minute, kind, BlockMinutes[random.Next(BlockMinutes.Length)], 1),
            IncidentKind.VaultReadFault or IncidentKind.VaultWriteFault => new(minute, kind, 1, random.Next(0, 2) == 0 ? 429 : 500),
            _ => new(minute, kind, 0, 0),
        };
    }
}
