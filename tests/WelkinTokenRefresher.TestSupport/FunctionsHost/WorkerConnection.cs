using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>
/// The host's side of the worker's one event stream: sends requests, pairs each answer with its request, and keeps the
/// worker's <see cref="RpcLog"/> lines.
/// </summary>
internal sealed class WorkerConnection
{
    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RpcLog> _logs = new();
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the worker id once the worker opened the stream with <c>StartStream</c>.</summary>
    public Task<string> Started => _started.Task;

    /// <summary>Completes when the worker's side of the stream ended.</summary>
    public Task Closed => _closed.Task;

    public IReadOnlyList<RpcLog> Logs => [.. _logs];

    /// <summary>Serves the stream until the worker closes it or the server stops.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> incoming, IServerStreamWriter<StreamingMessage> outgoing, CancellationToken cancellationToken)
    {
        var writing = WriteAsync(outgoing, cancellationToken);
        try
        {
            while (await incoming.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                Dispatch(incoming.Current);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            // The worker went away (exited or was killed): what is pending fails below.
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            _closed.TrySetResult();
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("The worker closed its stream before answering."));
            }
        }

        await writing.ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="message"/> and waits for the answer the worker files under <paramref name="answerKey"/>.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage message, string answerKey, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(answerKey, answer))
        {
            throw new InvalidOperationException($"A request is already waiting for {answerKey}.");
        }

        try
        {
            Send(message);
            return await answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(answerKey, out _);
        }
    }

    public void Send(StreamingMessage message)
    {
        if (!TrySend(message))
        {
            throw new InvalidOperationException("The worker's stream is closed.");
        }
    }

    /// <summary>Queues <paramref name="message"/> unless the stream is closed; says which.</summary>
    public bool TrySend(StreamingMessage message) => _outgoing.Writer.TryWrite(message);

    public static string InitKey => "init";

    public static string MetadataKey => "metadata";

    public static string LoadKey(string functionId) => "load:" + functionId;

    public static string InvocationKey(string invocationId) => "invocation:" + invocationId;

    private void Dispatch(StreamingMessage message)
    {
        var key = message.ContentCase switch
        {
            StreamingMessage.ContentOneofCase.StartStream => Start(message.StartStream),
            StreamingMessage.ContentOneofCase.RpcLog => Log(message.RpcLog),
            StreamingMessage.ContentOneofCase.WorkerInitResponse => InitKey,
            StreamingMessage.ContentOneofCase.FunctionMetadataResponse => MetadataKey,
            StreamingMessage.ContentOneofCase.FunctionLoadResponse => LoadKey(message.FunctionLoadResponse.FunctionId),
            StreamingMessage.ContentOneofCase.InvocationResponse => InvocationKey(message.InvocationResponse.InvocationId),
            _ => null,
        };
        if (key is not null && _pending.TryGetValue(key, out var answer))
        {
            answer.TrySetResult(message);
        }
    }

    private string? Start(StartStream start)
    {
        _started.TrySetResult(start.WorkerId);
        return null;
    }

    private string? Log(RpcLog log)
    {
        _logs.Enqueue(log);
        return null;
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> outgoing, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await outgoing.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream ended while a message was queued; RunAsync fails whoever waits for its answer.
        }
    }
}
