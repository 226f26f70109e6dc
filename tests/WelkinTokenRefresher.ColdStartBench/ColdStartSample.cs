namespace WelkinTokenRefresher.ColdStartBench;

/// <summary>One fresh worker process: process start to functions loaded, and to its first timer invocation completed.</summary>
internal sealed record ColdStartSample(TimeSpan FunctionsLoaded, TimeSpan FirstTickCompleted);
