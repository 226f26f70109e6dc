namespace WelkinTokenRefresher.ReliabilityTests.Simulation;

/// <summary>
/// Which token requests (by the emulator's count) it answers too slowly: the only attempts the
/// simulation moves the clock for. Numbering requests makes the run independent of how fast the machine is.
/// </summary>
public sealed class SlowAttempts
{
    private int _first = int.MaxValue;
    private int _last = int.MinValue;

    /// <summary>The next <paramref name="count"/> requests after the <paramref name="receivedSoFar"/> already received are slow.</summary>
    public void Expect(int receivedSoFar, int count) => (_first, _last) = (receivedSoFar + 1, receivedSoFar + count);

    public bool IsSlow(int requestNumber) => requestNumber >= _first && requestNumber <= _last;
}
