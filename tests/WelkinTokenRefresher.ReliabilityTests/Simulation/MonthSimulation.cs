using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>
/// Thirty days on a <see cref="FakeTimeProvider"/>, minute by minute, with the timer's refresh every 5 minutes through
/// the real core (TokenRefresher, WelkinTokenClient with its retries and rate guard, KeyVaultTokenVault) against the
/// sandbox Welkin emulator on loopback (driven by the same fake clock) and an in-memory SecretClient.
/// </summary>
public static class MonthSimulation
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    // The clock moves only once a refresh has been idle this long in real time: a loopback answer takes about a
    // millisecond, so only waits on the fake clock (timeouts, slow answers) are ever stepped over, and the run is
    // deterministic. The test runs alone (its own non-parallel collection) so that margin holds.
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);
    private const int MaxStepsPerTick = 180;

    public static async Task<MonthReport> RunAsync(int seed)
    {
        var wall = Stopwatch.StartNew();
        var plan = FaultPlan.Generate(seed);
        var time = new FakeTimeProvider(Start);
        var requests = new WelkinRequestLog();
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = time });
        var vault = new InMemorySecretClient(time);
        var instance = new AppInstance(sandbox, vault, time, requests);
        var uncovered = new List<int>();
        var restarts = 0;
        var pending = new Queue<Incident>(plan.Incidents.OrderBy(i => i.Minute));
        try
        {
            for (var minute = 0; minute < FaultPlan.Days * FaultPlan.MinutesPerDay; minute++)
            {
                var at = Start.AddMinutes(minute);
                if (time.GetUtcNow() < at)
                {
                    time.SetUtcNow(at);
                }

                while (pending.TryPeek(out var next) && next.Minute <= minute)
                {
                    pending.Dequeue();
                    if (next.Kind == IncidentKind.Restart)
                    {
                        // A restart loses everything in memory: single flight, rate guard, Welkin block.
                        instance.Dispose();
                        instance = new AppInstance(sandbox, vault, time, requests);
                        restarts++;
                    }
                    else
                    {
                        Apply(next, sandbox, vault);
                    }
                }

                if (minute % 5 == 0)
                {
                    await DriveAsync(instance.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None), time);
                }

                if (vault.Latest?.Properties.ExpiresOn is not { } expiresOn || expiresOn - time.GetUtcNow() < TimeSpan.FromMinutes(5))
                {
                    uncovered.Add(minute);
                }
            }
        }
        finally
        {
            instance.Dispose();
        }

        var outages = plan.Incidents.Where(i => i.Kind == IncidentKind.WelkinOutage).ToList();
        // A gap belongs to the outage it follows: from its start until 10 minutes after its end (the token's margin).
        var coverage = outages
            .Select(o => new OutageCoverage(o, uncovered.Count(m => m >= o.Minute && m < o.Minute + o.Length + 10)))
            .ToList();
        var outside = uncovered.Where(m => !outages.Any(o => m >= o.Minute && m < o.Minute + o.Length + 10)).ToList();
        // Any other gap is traced to the last incident before it (incidents are at least two hours apart).
        var outsideGaps = outside
            .GroupBy(m => plan.Incidents.LastOrDefault(i => i.Minute <= m && i.Kind != IncidentKind.Restart))
            .Select(g => new UncoveredGap(g.Key, g.Count()))
            .ToList();
        var sent = requests.Snapshot();
        var perDay = Enumerable.Range(0, FaultPlan.Days)
            .Select(day => sent.Count(s => (int)(s - Start).TotalDays == day))
            .ToList();
        var counters = sandbox.Welkin.Counters;
        return new MonthReport(
            seed,
            plan.Incidents,
            coverage,
            outsideGaps,
            requests.MaxInAnyWindow(TimeSpan.FromMinutes(5)),
            counters.PeakTokenRequestsInWindow,
            counters.Blocks,
            perDay,
            [.. Enumerable.Range(0, FaultPlan.Days).Select(plan.IsFaultFree)],
            restarts,
            wall.Elapsed);
    }

    private static void Apply(Incident incident, WelkinSandbox sandbox, InMemorySecretClient vault)
    {
        var welkin = sandbox.Welkin;
        switch (incident.Kind)
        {
            case IncidentKind.WelkinOutage:
                welkin.StartOutage(TimeSpan.FromMinutes(incident.Length), incident.Detail);
                break;
            case IncidentKind.Welkin5xxBurst:
                welkin.Faults.Enqueue(WelkinFault.Status(incident.Detail), incident.Length);
                break;
            case IncidentKind.WelkinTimeouts:
                // Longer than Welkin:Timeout (15 s): the attempt times out and is retried.
                welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromSeconds(20)), incident.Length);
                break;
            case IncidentKind.WelkinMalformed:
                welkin.Faults.Enqueue(WelkinFault.Malformed((WelkinFaultKind)incident.Detail));
                break;
            case IncidentKind.Welkin429:
                welkin.Faults.Enqueue(WelkinFault.Status(429, incident.Detail == 0 ? null : TimeSpan.FromSeconds(incident.Detail)));
                break;
            case IncidentKind.VaultReadFault:
                vault.FailNext(VaultOperation.Read, () => VaultFaults.Status(incident.Detail, incident.Detail == 429 ? "Throttled" : "InternalServerError"));
                break;
            case IncidentKind.VaultWriteFault:
                vault.FailNext(VaultOperation.Write, () => VaultFaults.Status(incident.Detail, incident.Detail == 429 ? "Throttled" : "InternalServerError"));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(incident), incident.Kind, "not a fault");
        }
    }

    /// <summary>
    /// Waits for a refresh, moving the fake clock a second at a time while it is pending, so per-attempt timeouts,
    /// slow answers and retries play out in simulated time. Bounded: a refresh never takes 15 simulated minutes.
    /// A refresh that completes without waiting (most ticks) costs no real time at all.
    /// </summary>
    private static async Task DriveAsync(Task<RefreshOutcome> refresh, FakeTimeProvider time)
    {
        for (var step = 0; step < MaxStepsPerTick; step++)
        {
            if (refresh.IsCompleted || await Task.WhenAny(refresh, Task.Delay(Idle)) == refresh)
            {
                await refresh;
                return;
            }

            time.Advance(Step);
        }

        throw new TimeoutException($"A refresh was still pending after {MaxStepsPerTick * Step} of simulated time.");
    }
}
