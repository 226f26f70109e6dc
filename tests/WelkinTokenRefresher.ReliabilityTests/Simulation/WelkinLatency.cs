using System.Collections.Concurrent;

namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>
/// How long Welkin takes to answer, in simulated time: 1–4 s normally (so a token is stamped seconds after its tick, and
/// minted seconds after the request arrived), 16–25 s during a slow spell (past the client's 15 s timeout). The emulator
/// arms each wait on the fake clock and reports it here; the simulation moves the clock by it only once it is armed,
/// so the run does not depend on the machine's speed.
/// </summary>
public sealed class WelkinLatency(int seed, TimeProvider time)
{
    private readonly Random _random = new(seed);
    private readonly ConcurrentQueue<TimeSpan> _armed = new();
    private DateTimeOffset _slowUntil = DateTimeOffset.MinValue;

    public void SlowFor(TimeSpan duration) => _slowUntil = time.GetUtcNow() + duration;

    /// <summary>The emulator's processing hook: one request's answer time, waited on the fake clock.</summary>
    public Task ProcessAsync(CancellationToken cancellationToken)
    {
        var milliseconds = time.GetUtcNow() < _slowUntil ? _random.Next(16_000, 25_001) : _random.Next(1_000, 4_001);
        var latency = TimeSpan.FromMilliseconds(milliseconds);
        var wait = Task.Delay(latency, time, cancellationToken);
        _armed.Enqueue(latency);
        return wait;
    }

    /// <summary>A wait the emulator has armed and the clock has not yet been moved for.</summary>
    public bool TryTakeArmed(out TimeSpan latency) => _armed.TryDequeue(out latency);
}
