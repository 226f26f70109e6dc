using System.Collections.Concurrent;
using System.Diagnostics;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>
/// <c>dotnet &lt;entry assembly&gt;</c> started the way the Functions host starts a .NET isolated worker: its arguments,
/// its environment (the app settings and the host's own variables, nothing inherited beyond what the runtime needs),
/// with stdout and stderr captured.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    // What `dotnet` itself needs to run; everything else of the test process (AZURE_*, IDENTITY_*, proxies, …) stays out.
    private static readonly string[] InheritedVariables = ["PATH", "HOME", "TMPDIR", "DOTNET_ROOT", "DOTNET_ROOT_X64"];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Keep(_stdout, line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(_stderr, line.Data);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string StandardOutput => string.Join('\n', _stdout);

    public string StandardError => string.Join('\n', _stderr);

    public Task Exited => _process.WaitForExitAsync();

    public static WorkerProcess Start(FunctionsWorkerSettings settings, Uri hostEndpoint, string workerId, string requestId)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = settings.AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(settings.AppDirectory, settings.EntryAssembly));
        // The host passes both generations of arguments; worker 2.x reads the --functions-* ones.
        string[] arguments =
        [
            "--host", hostEndpoint.Host, "--port", hostEndpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--functions-uri", hostEndpoint.AbsoluteUri, "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in InheritedVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = settings.AppDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = settings.AppDirectory;
        start.Environment["AzureWebJobsScriptRoot"] = settings.AppDirectory;
        foreach (var (name, value) in settings.AppSettings)
        {
            start.Environment[name] = value;
        }

        var process = new WorkerProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        process._process.Start();
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits for the worker to exit; kills it (and its children) if it has not by <paramref name="timeout"/>. Returns its
    /// exit code and whether it had to be killed.
    /// </summary>
    public async Task<(int ExitCode, bool Killed)> WaitForExitOrKillAsync(TimeSpan timeout)
    {
        var killed = false;
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            killed = true;
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        // WaitForExitAsync returns once stdout and stderr reached their end, so the captured lines are complete.
        return (_process.ExitCode, killed);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
