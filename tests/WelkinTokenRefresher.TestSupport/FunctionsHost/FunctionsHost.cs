using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>
/// Plays the Azure Functions host for a .NET isolated worker: a gRPC server on 127.0.0.1 implementing
/// <c>FunctionRpc.EventStream</c>, the worker as a child process, the start-up handshake (<c>StartStream</c>,
/// <c>WorkerInitRequest</c>, <c>FunctionsMetadataRequest</c>, one <c>FunctionLoadRequest</c> per function), timer
/// invocations, HTTP requests forwarded to the worker's own listener (ASP.NET Core integration) paired with their
/// invocation, and <c>WorkerTerminate</c>. It does not check function keys, evaluate NCRONTAB schedules, apply host.json
/// timeouts or retries, or hold the timer singleton lock: those stay the real host's.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private const string InvocationIdHeader = "x-ms-invocation-id";
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan TerminateGracePeriod = TimeSpan.FromSeconds(5);

    private readonly WebApplication _server;
    private readonly WorkerConnection _connection;
    private readonly WorkerProcess _worker;
    private readonly HttpClient _http;
    private int? _exitCode;

    private FunctionsHost(WebApplication server, WorkerConnection connection, WorkerProcess worker, WorkerInitResponse init, IReadOnlyList<LoadedFunction> functions, TimeSpan startupDuration)
    {
        StartupDuration = startupDuration;
        _server = server;
        _connection = connection;
        _worker = worker;
        InitResponse = init;
        Functions = functions;
        HttpUri = new Uri(init.Capabilities["HttpUri"]);
        // The host's forwarding client: straight to the worker's loopback listener, never through a proxy.
        _http = new HttpClient(new ForwardingRetryHandler(new SocketsHttpHandler { UseProxy = false })) { Timeout = InvocationTimeout };
    }

    public WorkerInitResponse InitResponse { get; }

    /// <summary>The worker's own HTTP listener (the <c>HttpUri</c> capability of ASP.NET Core integration).</summary>
    public Uri HttpUri { get; }

    public IReadOnlyList<LoadedFunction> Functions { get; }

    /// <summary>Wall time from starting the worker process to every function loaded (for benchmarks, not assertions).</summary>
    public TimeSpan StartupDuration { get; }

    /// <summary>Every <c>RpcLog</c> the worker sent so far (its ILogger output).</summary>
    public IReadOnlyList<RpcLog> Logs => _connection.Logs;

    public string StandardOutput => _worker.StandardOutput;

    public string StandardError => _worker.StandardError;

    /// <summary>Starts the gRPC server and the worker and completes the handshake until every function is loaded.</summary>
    /// <exception cref="WorkerStartFailedException">The worker exited, reported a failure, or a step timed out.</exception>
    public static async Task<FunctionsHost> StartAsync(FunctionsWorkerSettings settings, CancellationToken cancellationToken = default)
    {
        var connection = new WorkerConnection();
        var server = await StartServerAsync(connection, cancellationToken).ConfigureAwait(false);
        WorkerProcess? worker = null;
        try
        {
            var endpoint = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            var processStarting = Stopwatch.GetTimestamp();
            worker = WorkerProcess.Start(settings, endpoint, workerId: Guid.NewGuid().ToString(), requestId: Guid.NewGuid().ToString());
            var handshake = new Handshake(settings, connection, worker);

            await handshake.StepAsync("connection", connection.Started).ConfigureAwait(false);
            var init = (await handshake.RequestAsync("init", new StreamingMessage
            {
                WorkerInitRequest = new WorkerInitRequest
                {
                    HostVersion = "4.0.0-stand-in",
                    WorkerDirectory = settings.AppDirectory,
                    FunctionAppDirectory = settings.AppDirectory,
                },
            }, WorkerConnection.InitKey).ConfigureAwait(false)).WorkerInitResponse;
            handshake.EnsureSucceeded("init", init.Result);

            var metadata = (await handshake.RequestAsync("metadata", new StreamingMessage
            {
                FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = settings.AppDirectory },
            }, WorkerConnection.MetadataKey).ConfigureAwait(false)).FunctionMetadataResponse;
            handshake.EnsureSucceeded("metadata", metadata.Result);

            // The worker handles one FunctionLoadRequest per function (not the collection form), with the metadata it reported.
            var loads = metadata.FunctionMetadataResults.Select(async function =>
            {
                var loaded = (await handshake.RequestAsync("load", new StreamingMessage
                {
                    FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
                }, WorkerConnection.LoadKey(function.FunctionId)).ConfigureAwait(false)).FunctionLoadResponse;
                handshake.EnsureSucceeded("load", loaded.Result);
                return new LoadedFunction(function.Name, function.FunctionId, function);
            });
            var functions = await Task.WhenAll(loads).ConfigureAwait(false);
            var startupDuration = Stopwatch.GetElapsedTime(processStarting);

            // The worker reports its listener before the listener accepts connections; tests start right after.
            await handshake.StepAsync("http listener", ListenerAcceptsAsync(new Uri(init.Capabilities["HttpUri"]), cancellationToken)).ConfigureAwait(false);
            return new FunctionsHost(server, connection, worker, init, functions, startupDuration);
        }
        catch
        {
            worker?.Dispose();
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public LoadedFunction Function(string name) =>
        Functions.SingleOrDefault(function => function.Name == name) ?? throw new ArgumentException($"No function named '{name}' is loaded.", nameof(name));

    /// <summary>Invokes a timer function as the host does when its schedule fires (or fired while nothing ran, <paramref name="isPastDue"/>).</summary>
    public async Task<InvocationResponse> InvokeTimerAsync(string functionName, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var function = Function(functionName);
        var timerInfo = $$"""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":{{(isPastDue ? "true" : "false")}}}""";
        var invocationId = Guid.NewGuid().ToString();
        var answer = await _connection.RequestAsync(
            Invocation(function, invocationId, new TypedData { Json = timerInfo }),
            WorkerConnection.InvocationKey(invocationId), InvocationTimeout, cancellationToken).ConfigureAwait(false);
        return answer.InvocationResponse;
    }

    /// <summary>
    /// Forwards an HTTP request to the worker's listener with <c>x-ms-invocation-id</c> and sends the paired
    /// <c>InvocationRequest</c> (its trigger input an empty <c>RpcHttp</c>), as the host does with ASP.NET Core integration.
    /// </summary>
    /// <param name="pathAndQuery">Relative to the worker's listener, e.g. <c>api/token/refresh?force=true</c>.</param>
    public async Task<HttpInvocation> InvokeHttpAsync(string functionName, HttpMethod method, string pathAndQuery, CancellationToken cancellationToken = default)
    {
        var function = Function(functionName);
        var invocationId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(method, new Uri(HttpUri, pathAndQuery));
        request.Headers.Add(InvocationIdHeader, invocationId);

        // The request first, then the invocation: the worker waits only a few seconds for the invocation of a request.
        var forwarded = _http.SendAsync(request, cancellationToken);
        var invoked = _connection.RequestAsync(
            Invocation(function, invocationId, new TypedData { Http = new RpcHttp() }),
            WorkerConnection.InvocationKey(invocationId), InvocationTimeout, cancellationToken);

        using var response = await forwarded.ConfigureAwait(false);
        var answer = await HttpAnswer.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        return new HttpInvocation(answer, (await invoked.ConfigureAwait(false)).InvocationResponse);
    }

    /// <summary>Sends <c>WorkerTerminate</c> and waits for the worker to exit (killing it after the grace period); returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_exitCode is { } exited)
        {
            return exited;
        }

        try
        {
            _connection.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TerminateGracePeriod) } });
        }
        catch (InvalidOperationException)
        {
            // The stream is already closed: the worker is exiting or gone.
        }

        _exitCode = await _worker.WaitForExitOrKillAsync(TerminateGracePeriod * 3).ConfigureAwait(false);
        return _exitCode.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _worker.Dispose();
        _http.Dispose();
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    private static StreamingMessage Invocation(LoadedFunction function, string invocationId, TypedData trigger)
    {
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            // The worker needs a trace context on every invocation.
            TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01" },
        };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Key, Data = trigger });
        return new StreamingMessage { InvocationRequest = request };
    }

    private static async Task<bool> ListenerAcceptsAsync(Uri listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(listener.Host, listener.Port, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<WebApplication> StartServerAsync(WorkerConnection connection, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(connection);
        var server = builder.Build();
        server.MapGrpcService<FunctionRpcService>();
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>One start-up: each step races the worker's exit and the step timeout, and a failure says which step and why.</summary>
    private sealed class Handshake(FunctionsWorkerSettings settings, WorkerConnection connection, WorkerProcess worker)
    {
        public async Task<T> StepAsync<T>(string step, Task<T> task)
        {
            var finished = await Task.WhenAny(task, worker.Exited, Task.Delay(settings.StepTimeout)).ConfigureAwait(false);
            if (finished == task && task.IsCompletedSuccessfully)
            {
                return task.Result;
            }

            throw await FailedAsync(step, finished == task ? task.Exception?.GetBaseException().Message : null).ConfigureAwait(false);
        }

        public Task<StreamingMessage> RequestAsync(string step, StreamingMessage message, string answerKey) =>
            StepAsync(step, connection.RequestAsync(message, answerKey, settings.StepTimeout));

        public void EnsureSucceeded(string step, StatusResult result)
        {
            if (result.Status != StatusResult.Types.Status.Success)
            {
                throw new WorkerStartFailedException(step, null, result.Exception?.Message ?? result.Result, worker.StandardError, connection.Logs);
            }
        }

        private async Task<WorkerStartFailedException> FailedAsync(string step, string? error)
        {
            // A worker that failed on its own exits shortly: wait for it so its exit code and stderr are complete.
            int? exitCode = null;
            if (await Task.WhenAny(worker.Exited, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) == worker.Exited)
            {
                exitCode = worker.ExitCode;
            }

            return new WorkerStartFailedException(step, exitCode, error ?? (exitCode is null ? $"no answer within {settings.StepTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : null),
                worker.StandardError, connection.Logs);
        }
    }
}
