namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>The worker did not stop cleanly: after <c>WorkerTerminate</c> it exited with a code other than 0, or had to be killed.</summary>
public sealed class WorkerStopFailedException(int exitCode, bool killed, string standardError)
    : Exception((killed
        ? $"The Functions worker did not exit within the grace period after WorkerTerminate and was killed (exit code {exitCode})."
        : $"The Functions worker exited with code {exitCode} when stopped; a clean stop exits 0.")
        + (standardError.Length == 0 ? "" : "\nstderr:\n" + string.Join('\n', standardError.Split('\n').TakeLast(30))))
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The worker outlived the grace period and was killed.</summary>
    public bool Killed { get; } = killed;

    public string StandardError { get; } = standardError;
}
