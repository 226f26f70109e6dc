using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.Welkin;
using Microsoft.Extensions.Time.Testing;

namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>
/// Thirty days on a <see cref="FakeTimeProvider"/>, minute by minute, with the timer's refresh every 5 minutes through
/// the real core (TokenRefresher, WelkinTokenClient with its retries and rate guard, KeyVaultTokenVault) against the
/// sandbox Welkin emulator on loopback (driven by the same fake clock) and an in-memory SecretClient. Welkin takes
/// simulated seconds to answer (<see cref="WelkinLatency"/>), its faults last several ticks, and its blocks are real:
/// the emulator refuses every request until the block has passed.
/// </summary>
public static class MonthSimulation
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxRealTimePerTick = TimeSpan.FromSeconds(30);

    public static async Task<MonthReport> RunAsync(int seed)
    {
        var wall = TimeProvider.System.GetTimestamp();
        var plan = FaultPlan.Generate(seed);
        var time = new FakeTimeProvider(Start);
        var requests = new WelkinRequestLog();
        var latency = new WelkinLatency(seed, time);
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = time });
        sandbox.Welkin.Processing = latency.ProcessAsync;
        var vault = new InMemorySecretClient(time);
        var instance = new AppInstance(sandbox, vault, time, requests);
        var uncovered = new List<int>();
        var blocks = new List<UnavailableWindow>();
        var heldBack = new List<int>();
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
                        Apply(next, sandbox, vault, latency);
                    }
                }

                if (minute % 5 == 0)
                {
                    var blockedBefore = sandbox.Welkin.BlockedUntil;
                    var outcome = await DriveAsync(instance.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None), time, latency);
                    if (blockedBefore is null && sandbox.Welkin.BlockedUntil is { } blockedUntil)
                    {
                        blocks.Add(new UnavailableWindow(IncidentKind.WelkinBlock, minute, (int)Math.Ceiling((blockedUntil - at).TotalMinutes)));
                    }

                    // Our own guard held this tick back although Welkin would have answered it.
                    if (outcome is { Status: RefreshStatus.Throttled, Reason: RefreshReasons.RateLimited } && sandbox.Welkin.BlockedUntil is null)
                    {
                        heldBack.Add(minute);
                    }
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

        var windows = plan.Incidents
            .Where(i => i.Kind is IncidentKind.WelkinOutage or IncidentKind.Welkin5xxBurst or IncidentKind.WelkinSlow)
            .Select(i => new UnavailableWindow(i.Kind, i.Minute, i.Length))
            .Concat(blocks)
            .OrderBy(w => w.Minute)
            .ToList();
        // A gap belongs to the span it follows: from its start until 10 minutes after its end (the token's margin).
        var coverage = windows
            .Select(w => new OutageCoverage(w, uncovered.Count(m => m >= w.Minute && m < w.Minute + w.Length + 10)))
            .ToList();
        var outside = uncovered.Where(m => !windows.Any(w => m >= w.Minute && m < w.Minute + w.Length + 10)).ToList();
        // Any other gap is traced to the last incident before it (incidents are hours apart).
        var outsideGaps = outside
            .GroupBy(m => plan.Incidents.LastOrDefault(i => i.Minute <= m && i.Kind != IncidentKind.Restart))
            .Select(g => new UncoveredGap(g.Key, g.Count()))
            .ToList();
        var sent = requests.Snapshot();
        var perDay = Enumerable.Range(0, FaultPlan.Days)
            .Select(day => sent.Count(s => (int)(s - Start).TotalDays == day))
            .ToList();
        // Between consecutive requests of one fault-free day: the refresh cycle when nothing goes wrong.
        var quietIntervals = sent
            .Zip(sent.Skip(1))
            .Where(pair => (int)(pair.First - Start).TotalDays == (int)(pair.Second - Start).TotalDays && plan.IsFaultFree((int)(pair.First - Start).TotalDays))
            .Select(pair => (pair.Second - pair.First).TotalMinutes)
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
            counters.ByOutcome[TokenRequestOutcome.RateLimited],
            heldBack,
            perDay,
            [.. Enumerable.Range(0, FaultPlan.Days).Select(plan.IsFaultFree)],
            quietIntervals,
            restarts,
            TimeProvider.System.GetElapsedTime(wall));
    }

    private static void Apply(Incident incident, WelkinSandbox sandbox, InMemorySecretClient vault, WelkinLatency latency)
    {
        var welkin = sandbox.Welkin;
        switch (incident.Kind)
        {
            case IncidentKind.WelkinOutage:
            case IncidentKind.Welkin5xxBurst:
                welkin.StartOutage(TimeSpan.FromMinutes(incident.Length), incident.Detail);
                break;
            case IncidentKind.WelkinSlow:
                latency.SlowFor(TimeSpan.FromMinutes(incident.Length));
                break;
            case IncidentKind.WelkinMalformed:
                welkin.Faults.Enqueue(WelkinFault.Malformed((WelkinFaultKind)incident.Detail));
                break;
            case IncidentKind.WelkinBlock:
                welkin.BlockNextRequest(TimeSpan.FromMinutes(incident.Length), withRetryAfter: incident.Detail == 1);
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
    /// Waits for a refresh. Network round trips take real time with the clock standing still; Welkin's answer time is
    /// simulated: once the emulator has armed a request's wait on the fake clock, the clock moves by exactly that much,
    /// so timeouts, retries and stamps play out in simulated time. Bounded in real time.
    /// </summary>
    private static async Task<RefreshOutcome> DriveAsync(Task<RefreshOutcome> refresh, FakeTimeProvider time, WelkinLatency latency)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!refresh.IsCompleted)
        {
            if (TimeProvider.System.GetElapsedTime(started) > MaxRealTimePerTick)
            {
                throw new TimeoutException($"A refresh was still pending after {MaxRealTimePerTick} of real time, at {time.GetUtcNow():O}.");
            }

            if (latency.TryTakeArmed(out var answerTime))
            {
                time.Advance(answerTime);
                continue;
            }

            await Task.WhenAny(refresh, Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System));
        }

        return await refresh;
    }
}
