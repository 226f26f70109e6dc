using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>
/// The worker did not get its functions loaded: it exited, reported a failure on the stream, stayed silent past the step's
/// timeout, or the host refused to load what it indexed (a binding expression without an app setting, a bad schedule).
/// </summary>
public sealed class WorkerStartFailedException : Exception
{
    public WorkerStartFailedException(
        string step, int? exitCode, string? reportedError, string standardError, IReadOnlyList<RpcLog> logs, bool timedOut = false, string? hostError = null)
        : base($"The Functions worker failed at {step}"
            + (exitCode is { } code ? $" (exit code {code})" : "")
            + (timedOut ? ": no answer within the step's timeout" : "")
            + (reportedError is null ? "" : $": {reportedError}")
            + (hostError is null ? "." : $": the host refused to load it: {hostError}"))
    {
        Step = step;
        ExitCode = exitCode;
        ReportedError = reportedError;
        StandardError = standardError;
        Logs = logs;
        TimedOut = timedOut;
        HostError = hostError;
    }

    /// <summary>The start-up step that failed: <c>connection</c>, <c>init</c>, <c>metadata</c>, <c>load</c> or <c>http listener</c>.</summary>
    public string Step { get; }

    /// <summary>The worker's exit code, when it exited.</summary>
    public int? ExitCode { get; }

    /// <summary>The failure the worker itself reported on the stream (a <c>StatusResult</c>'s exception), if any.</summary>
    public string? ReportedError { get; }

    /// <summary>True when the step ended because the worker neither answered nor exited in time (a hang, not a failure it reported).</summary>
    public bool TimedOut { get; }

    /// <summary>Why the host refused to load what the worker indexed (it is the host's check, not the worker's), if it did.</summary>
    public string? HostError { get; }

    public string StandardError { get; }

    public IReadOnlyList<RpcLog> Logs { get; }
}
