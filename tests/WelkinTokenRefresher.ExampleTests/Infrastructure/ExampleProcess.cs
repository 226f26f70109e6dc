using System.Diagnostics;
using System.Globalization;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.ExampleTests.Infrastructure;

/// <summary>
/// A consumer example's driver (Drivers/drive.py or drive.mjs) as a child process pointed at a sandbox through the
/// settings the sandbox prints, talking one line per command over stdin/stdout. One process = one example cache.
/// </summary>
internal sealed class ExampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    // Anything that could steer DefaultAzureCredential away from the sandbox's managed identity endpoint.
    internal static readonly string[] InheritedAzureSettings =
    [
        "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE",
        "AZURE_USERNAME", "AZURE_PASSWORD", "MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT",
    ];

    private readonly Process _process;
    private readonly List<string> _stderr = [];

    private ExampleProcess(Process process) => _process = process;

    public static async Task<ExampleProcess> StartAsync(ExampleLanguage language, WelkinSandbox sandbox)
    {
        var start = new ProcessStartInfo(language == ExampleLanguage.Python ? ExampleRuntimes.Python : ExampleRuntimes.Node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add(language.DriverPath);
        foreach (var name in InheritedAzureSettings)
        {
            start.Environment.Remove(name);
        }

        // Consumers never hold the Welkin API secret.
        foreach (var (name, value) in sandbox.EnvironmentSettings.Where(s => s.Key != "Welkin__Secret"))
        {
            start.Environment[name] = value;
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var example = new ExampleProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (example._stderr)
                {
                    example._stderr.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        Assert.Equal("ready", await example.ReadLineAsync());
        return example;
    }

    /// <summary><paramref name="callers"/> concurrent calls of the example's call function; the HTTP statuses they returned.</summary>
    public Task<int[]> CallAsync(int callers, Uri url) => SendAsync(string.Create(CultureInfo.InvariantCulture, $"call {callers} {url.AbsoluteUri}"));

    /// <summary><paramref name="callers"/> concurrent calls that fail; the first error as the example reported it (its type and message).</summary>
    public async Task<string> FailAsync(int callers, Uri url)
    {
        var command = string.Create(CultureInfo.InvariantCulture, $"call {callers} {url.AbsoluteUri}");
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var answer = await ReadLineAsync();
        Assert.True(answer.StartsWith("error ", StringComparison.Ordinal), $"The example answered '{answer}' to '{command}', not an error. {Stderr()}");
        return answer["error ".Length..];
    }

    /// <summary>One call that passes a caller header (X-Probe: the language name) the way the README's text allows.</summary>
    public Task<int[]> CallWithHeaderAsync(Uri url) => SendAsync($"headers {url.AbsoluteUri}");

    /// <summary>Moves the example's own clock ahead of real time (the driver replaces the clock the example reads).</summary>
    public async Task AdvanceClockAsync(TimeSpan by)
    {
        await _process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"advance {by.TotalSeconds}"));
        await _process.StandardInput.FlushAsync();
        var answer = await ReadLineAsync();
        Assert.True(answer == "advanced", $"The example answered '{answer}' to advance. {Stderr()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<int[]> SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var answer = await ReadLineAsync();
        Assert.True(answer.StartsWith("statuses ", StringComparison.Ordinal), $"The example answered '{answer}' to '{command}'. {Stderr()}");
        return [.. answer["statuses ".Length..].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
    }

    private async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            return await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"The example exited (code {ExitCode()}). {Stderr()}");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The example did not answer within {CommandTimeout}. {Stderr()}");
        }
    }

    private string ExitCode() => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running";

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? string.Empty : "stderr: " + string.Join('\n', _stderr.TakeLast(30));
        }
    }
}
