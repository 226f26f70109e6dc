using BenchmarkDotNet.Attributes;
using WelkinTokenRefresher.Client;

namespace WelkinTokenRefresher.Benchmarks;

/// <summary>The hot path: a token served from a warm cache, on each installed runtime the library targets. Target: at most 50 ns and 0 B per call.</summary>
[Config(typeof(EachInstalledRuntime))]
[MemoryDiagnoser]
[MedianColumn]
public class CachedTokenBenchmarks
{
    private readonly TimeProvider _clock = TimeProvider.System;
    private KeyVaultWelkinTokenSource _source = null!;

    /// <summary>Fills the cache once.</summary>
    [GlobalSetup]
    public void Setup() => _source = WarmTokenSource.Create();

    /// <summary>The clock read the cached path makes, for scale: what the machine charges before any cache logic.</summary>
    [Benchmark(Baseline = true)]
    public DateTimeOffset SystemClockGetUtcNow() => _clock.GetUtcNow();

    /// <summary>One cached <see cref="KeyVaultWelkinTokenSource.GetTokenAsync"/>.</summary>
    [Benchmark]
    public WelkinToken CachedGetTokenAsync()
    {
        ValueTask<WelkinToken> token = _source.GetTokenAsync();
        return token.IsCompletedSuccessfully ? token.Result : token.AsTask().GetAwaiter().GetResult();
    }
}
