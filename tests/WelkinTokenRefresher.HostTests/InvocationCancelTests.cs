using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox.Welkin;
using WelkinTokenRefresher.TestSupport.Time;

namespace WelkinTokenRefresher.HostTests;

/// <summary>
/// A cancelled invocation, as when the host stops one: it sends <c>InvocationCancel</c>, the worker cancels the function's
/// token, and the refresh stops where it is, without retrying Welkin and without writing.
/// </summary>
public sealed class InvocationCancelTests : IClassFixture<SandboxWorker>
{
    private readonly SandboxWorker _worker;

    public InvocationCancelTests(SandboxWorker worker)
    {
        _worker = worker;
        _worker.Reset();
    }

    [Fact]
    public async Task Cancelling_a_timer_invocation_sends_InvocationCancel_and_the_worker_ends_it_without_a_retry_or_a_write()
    {
        var sandbox = _worker.Sandbox;
        Vault.SeedDue(sandbox);
        var before = VaultSnapshot.Take(sandbox);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sandbox.Welkin.Processing = _ =>
        {
            arrived.TrySetResult();
            return Task.CompletedTask;
        };
        // Welkin holds the answer far past every timeout: only the cancellation can end this invocation quickly.
        sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromMinutes(10)));
        using var cancel = new CancellationTokenSource();

        try
        {
            var invocation = _worker.Host.InvokeTimerAsync(FunctionsApp.RefreshOnSchedule, cancellationToken: cancel.Token);
            await arrived.Task.WithinAsync(TimeSpan.FromSeconds(30), "The refresh's token request to Welkin");
            await cancel.CancelAsync();
            var response = await invocation.WithinAsync(TimeSpan.FromSeconds(30), "The worker's answer to the cancelled invocation");

            // The worker cancels the function's token and reports the invocation failed with the cancellation it threw.
            Assert.Equal("True", _worker.Host.InitResponse.Capabilities["HandlesInvocationCancelMessage"]);
            Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
            Assert.Contains(response.Result.Exception.Type, new[] { "System.Threading.Tasks.TaskCanceledException", "System.OperationCanceledException" });
            Assert.Equal(1, sandbox.Welkin.Counters.TokenRequests);
            Assert.Equal(0, sandbox.KeyVault.Counters.Writes);
            Assert.Equal(before, VaultSnapshot.Take(sandbox));
            Secrets.AssertNoneIn(sandbox, _worker.Host, response.ToString());
        }
        finally
        {
            sandbox.Welkin.Processing = null;
        }
    }
}
