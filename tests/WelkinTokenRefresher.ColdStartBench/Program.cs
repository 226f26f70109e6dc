using System.Diagnostics;
using System.Globalization;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using WelkinTokenRefresher.ColdStartBench;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

// Usage: WelkinTokenRefresher.ColdStartBench <runs> <label>=<published app folder> [<label>=<folder> …]
// Starts a fresh worker per run, the variants interleaved so machine load affects them alike, after one discarded
// warm-up run each (disk cache). Every run: the host stand-in's handshake until the functions are loaded, then one
// RefreshOnSchedule tick that is not due (one Key Vault read through the managed identity, no Welkin request).
if (args.Length < 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var runs) || runs < 1)
{
    await Console.Error.WriteLineAsync("Usage: WelkinTokenRefresher.ColdStartBench <runs> <label>=<published app folder> …");
    return 2;
}

var variants = args.Skip(1).Select(arg => arg.Split('=', 2)).Select(pair => (Label: pair[0], Directory: Path.GetFullPath(pair[1]))).ToList();
await using var sandbox = await WelkinSandbox.StartAsync();
SeedFreshToken(sandbox);

var samples = variants.ToDictionary(variant => variant.Label, _ => new List<ColdStartSample>());
foreach (var variant in variants)
{
    await MeasureAsync(sandbox, variant.Directory);
}

for (var run = 1; run <= runs; run++)
{
    foreach (var variant in variants)
    {
        var sample = await MeasureAsync(sandbox, variant.Directory);
        samples[variant.Label].Add(sample);
        await Console.Error.WriteLineAsync(FormattableString.Invariant($"# run {run} {variant.Label}: loaded {sample.FunctionsLoaded.TotalMilliseconds:F0} ms, first tick {sample.FirstTickCompleted.TotalMilliseconds:F0} ms"));
    }
}

if (sandbox.Welkin.Counters.TokenRequests != 0)
{
    throw new InvalidOperationException("A measured tick asked Welkin for a token: the runs were not the not-due cycle they claim to be.");
}

Console.WriteLine(FormattableString.Invariant($"Functions worker cold start, median of {runs} fresh processes each ({Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):"));
Console.WriteLine("| build | process start → functions loaded | process start → first timer tick completed (not due) |");
Console.WriteLine("|---|---|---|");
foreach (var variant in variants)
{
    var measured = samples[variant.Label];
    Console.WriteLine(FormattableString.Invariant(
        $"| {variant.Label} | {Median(measured.Select(s => s.FunctionsLoaded)):F0} ms (min {measured.Min(s => s.FunctionsLoaded).TotalMilliseconds:F0}, max {measured.Max(s => s.FunctionsLoaded).TotalMilliseconds:F0}) | {Median(measured.Select(s => s.FirstTickCompleted)):F0} ms (min {measured.Min(s => s.FirstTickCompleted).TotalMilliseconds:F0}, max {measured.Max(s => s.FirstTickCompleted).TotalMilliseconds:F0}) |"));
}

return 0;

static async Task<ColdStartSample> MeasureAsync(WelkinSandbox sandbox, string directory)
{
    var settings = new FunctionsWorkerSettings
    {
        AppDirectory = directory,
        EntryAssembly = "WelkinTokenRefresher.Functions.dll",
        // Refresh__Schedule as the deployment sets it: the host resolves the timer's %Refresh:Schedule% from it.
        AppSettings = new Dictionary<string, string>(sandbox.EnvironmentSettings, StringComparer.Ordinal) { ["Refresh__Schedule"] = new RefreshOptions().Schedule },
    };
    await using var host = await FunctionsHost.StartAsync(settings);
    var tick = Stopwatch.StartNew();
    var response = await host.InvokeTimerAsync("RefreshOnSchedule");
    tick.Stop();
    if (response.Result.Status != StatusResult.Types.Status.Success)
    {
        throw new InvalidOperationException("The measured tick failed: " + response.Result.Exception?.Message);
    }

    return new ColdStartSample(host.StartupDuration, host.StartupDuration + tick.Elapsed);
}

static double Median(IEnumerable<TimeSpan> values)
{
    var sorted = values.Select(value => value.TotalMilliseconds).Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

// A token issued a minute ago with most of its hour left: every measured tick finds it not due.
static void SeedFreshToken(WelkinSandbox sandbox)
{
    var now = TimeProvider.System.GetUtcNow();
    var expiresAt = now.AddMinutes(59);
    sandbox.KeyVault.Seed(sandbox.SecretName, "bench-" + Guid.NewGuid().ToString("N"), expiresAt, contentType: SecretTags.ContentType, tags: new Dictionary<string, string>
    {
        [SecretTags.IssuedAt] = SecretTags.Format(now.AddMinutes(-1)),
        [SecretTags.ExpiresAt] = SecretTags.Format(expiresAt),
        [SecretTags.Source] = SecretTags.SourceValue,
        [SecretTags.ApiClient] = sandbox.ApiClient,
    });
}
