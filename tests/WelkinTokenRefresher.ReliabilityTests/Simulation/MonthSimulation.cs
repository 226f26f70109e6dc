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
    // The clock moves only for a request the emulator answers too slowly, once that request has been sent (its
    // per-attempt timeout armed), by one step just over Welkin:Timeout (15 s): the attempt times out and is retried.
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(16);
    private static readonly TimeSpan MaxRealTimePerTick = TimeSpan.FromSeconds(30);

    public static async Task<MonthReport> RunAsync(int seed)
    {
        var wall = Stopwatch.StartNew();
        var plan = FaultPlan.Generate(seed);
        var time = new FakeTimeProvider(Start);
        var requests = new WelkinRequestLog();
        var slow = new SlowAttempts();
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
                        if (next.Kind == IncidentKind.WelkinTimeouts)
                        {
                            slow.Expect(Received(sandbox), next.Length);
                        }
                    }
                }

                if (minute % 5 == 0)
                {
                    await DriveAsync(instance.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None), time, sandbox, slow);
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

    private static int Received(WelkinSandbox sandbox) => (int)sandbox.Welkin.Counters.TokenRequests;

    /// <summary>
    /// Waits for a refresh, network round trips in real time with the clock standing still. When a request the emulator
    /// answers too slowly has arrived, the clock steps once past its timeout, so timeouts and retries play out in
    /// simulated time. Bounded in real time.
    /// </summary>
    private static async Task DriveAsync(Task<RefreshOutcome> refresh, FakeTimeProvider time, WelkinSandbox sandbox, SlowAttempts slow)
    {
        var deadline = Stopwatch.StartNew();
        var stepped = 0;
        while (!refresh.IsCompleted)
        {
            if (deadline.Elapsed > MaxRealTimePerTick)
            {
                throw new TimeoutException($"A refresh was still pending after {MaxRealTimePerTick} of real time, at {time.GetUtcNow():O}.");
            }

            // Counted by the emulator, so the request has arrived and taken its fault before the clock moves.
            var received = Received(sandbox);
            if (received > stepped && slow.IsSlow(received))
            {
                stepped = received;
                time.Advance(Step);
            }

            await Task.WhenAny(refresh, Task.Delay(TimeSpan.FromMilliseconds(1)));
        }

        await refresh;
    }
}
