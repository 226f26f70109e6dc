namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

public static class Percentiles
{
    /// <summary>Nearest-rank percentile of the samples.</summary>
    public static TimeSpan Of(IReadOnlyCollection<TimeSpan> samples, double percentile)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
