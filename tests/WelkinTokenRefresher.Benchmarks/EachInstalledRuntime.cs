using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Jobs;

namespace WelkinTokenRefresher.Benchmarks;

/// <summary>
/// One job per .NET runtime the library targets that is installed beside the one running the benchmarks (.NET 8, .NET 10):
/// the cached read is measured on each runtime a workload may use, wherever that runtime exists.
/// </summary>
public sealed class EachInstalledRuntime : ManualConfig
{
    /// <summary>Adds the jobs.</summary>
    public EachInstalledRuntime()
    {
        // .../shared/Microsoft.NETCore.App/<version>/: the versions beside the running one.
        string? shared = Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location));
        string[] installed = shared is null ? [] : [.. Directory.GetDirectories(shared).Select(Path.GetFileName).OfType<string>()];
        foreach ((string major, Runtime runtime) in new (string, Runtime)[] { ("8.", CoreRuntime.Core80), ("10.", CoreRuntime.Core10_0) })
        {
            if (installed.Any(version => version.StartsWith(major, StringComparison.Ordinal)))
            {
                AddJob(Job.Default.WithRuntime(runtime).WithId(runtime.Name));
            }
        }
    }
}
