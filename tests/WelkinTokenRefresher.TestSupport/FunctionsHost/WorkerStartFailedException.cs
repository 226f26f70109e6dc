using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>The worker did not get its functions loaded: it exited, reported a failure on the stream, or timed out.</summary>
public sealed class WorkerStartFailedException(string step, int? exitCode, string? reportedError, string standardError, IReadOnlyList<RpcLog> logs)
    : Exception($"The Functions worker failed at {step}" + (exitCode is { } code ? $" (exit code {code})" : "") + (reportedError is null ? "." : $": {reportedError}"))
{
    /// <summary>The start-up step that failed: <c>connection</c>, <c>init</c>, <c>metadata</c>, <c>load</c> or <c>http listener</c>.</summary>
    public string Step { get; } = step;

    /// <summary>The worker's exit code, when it exited.</summary>
    public int? ExitCode { get; } = exitCode;

    /// <summary>The failure the worker reported on the stream (a <c>StatusResult</c>'s exception), if any.</summary>
    public string? ReportedError { get; } = reportedError;

    public string StandardError { get; } = standardError;

    public IReadOnlyList<RpcLog> Logs { get; } = logs;
}
