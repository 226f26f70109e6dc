using System.Diagnostics;
using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests;

/// <summary>The host checks how the worker ends: <c>WorkerTerminate</c> must end it with exit code 0, and anything else fails the stop.</summary>
public sealed class WorkerStopTests
{
    [Fact]
    public async Task WorkerTerminate_ends_the_worker_with_exit_code_0()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        await using var host = await FunctionsHost.StartAsync(FunctionsApp.Settings(sandbox));

        Assert.Equal(0, await host.StopAsync());
    }

    [Fact]
    public async Task A_worker_that_died_fails_the_stop_with_its_exit_code()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        await using var host = await FunctionsHost.StartAsync(FunctionsApp.Settings(sandbox));
        using (var worker = Process.GetProcessById(host.WorkerProcessId))
        {
            worker.Kill();
            await worker.WaitForExitAsync();
        }

        var failure = await Assert.ThrowsAsync<WorkerStopFailedException>(host.StopAsync);

        // SIGKILL: 128 + 9.
        Assert.Equal(137, failure.ExitCode);
        Assert.False(failure.Killed);
        Assert.Contains("exited with code 137", failure.Message, StringComparison.Ordinal);
    }
}
