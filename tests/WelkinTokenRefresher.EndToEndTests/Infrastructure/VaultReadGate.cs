namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

/// <summary>
/// Sits in a SecretClient's transport and, once armed, holds the next secret read until the test releases it, saying
/// when it arrived: a test then knows that a read started, and when, without polling or sleeping.
/// </summary>
internal sealed class VaultReadGate(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly Lock _sync = new();
    private TaskCompletionSource? _arrived;
    private TaskCompletionSource? _released;

    /// <summary>Holds the next read; the returned task completes when it arrives.</summary>
    public Task HoldNextRead()
    {
        lock (_sync)
        {
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _arrived.Task;
        }
    }

    /// <summary>Lets the held read go on to the vault.</summary>
    public void Release()
    {
        lock (_sync)
        {
            _released?.TrySetResult();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Task? released = null;
        if (request.Method == HttpMethod.Get && request.RequestUri?.AbsolutePath.StartsWith("/secrets/", StringComparison.Ordinal) == true)
        {
            lock (_sync)
            {
                if (_arrived is { Task.IsCompleted: false } arrived)
                {
                    arrived.SetResult();
                    released = _released!.Task;
                }
            }
        }

        if (released is not null)
        {
            await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
