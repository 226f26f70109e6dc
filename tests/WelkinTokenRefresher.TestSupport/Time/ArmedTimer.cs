namespace WelkinTokenRefresher.TestSupport.Time;

/// <summary>A timer armed on a <see cref="SteppingClock"/>: when it is due, and its period (<see cref="Timeout.InfiniteTimeSpan"/> for a one-shot timer).</summary>
public sealed record ArmedTimer(DateTimeOffset Due, TimeSpan Period);
