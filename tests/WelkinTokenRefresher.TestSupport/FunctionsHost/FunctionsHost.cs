using System.Diagnostics;
using System.Net;
using System.Text.Json;
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
/// <c>WorkerInitRequest</c>, <c>FunctionsMetadataRequest</c>, one <c>FunctionLoadRequest</c> per function) with the
/// host's <c>%name%</c> binding expressions resolved from the app settings (a function whose expression names no setting
/// is not loaded), timer invocations, HTTP requests routed by the functions' metadata (route, methods) and admitted by
/// function key before they are forwarded to the worker's own listener (ASP.NET Core integration) paired with their
/// invocation, <c>InvocationCancel</c> when the caller cancels, and <c>WorkerTerminate</c> with the worker's exit code
/// checked. It does not evaluate NCRONTAB schedules over time, apply host.json timeouts or retries, or hold the timer
/// singleton lock: those stay the real host's (docs/functions-host.md).
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private const string InvocationIdHeader = "x-ms-invocation-id";
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan TerminateGracePeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CancelGracePeriod = TimeSpan.FromSeconds(5);

    private readonly WebApplication _server;
    private readonly WorkerConnection _connection;
    private readonly WorkerProcess _worker;
    private readonly HttpClient _http;
    private readonly HttpRoutes _routes;
    private readonly FunctionKeys _keys;
    private int? _exitCode;

    private FunctionsHost(
        WebApplication server, WorkerConnection connection, WorkerProcess worker, WorkerInitResponse init, IReadOnlyList<LoadedFunction> functions, HttpRoutes routes, TimeSpan startupDuration)
    {
        StartupDuration = startupDuration;
        _server = server;
        _connection = connection;
        _worker = worker;
        InitResponse = init;
        Functions = functions;
        _routes = routes;
        _keys = new FunctionKeys(functions.Select(function => function.Name));
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

    /// <summary>The worker's process id (a test that kills the worker uses it).</summary>
    public int WorkerProcessId => _worker.Id;

    /// <summary>The host key <c>default</c>: admitted by every <c>function</c>-level route.</summary>
    public string HostKey => _keys.HostKey;

    /// <summary>The <c>default</c> key of one function: admitted by that function's routes only.</summary>
    public string FunctionKey(string functionName) => _keys.ForFunction(functionName);

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

            // The host indexes before it loads: every %name% of every binding must name an app setting, or the function is
            // not loaded.
            var resolved = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var function in metadata.FunctionMetadataResults)
            {
                resolved[function.FunctionId] = handshake.Index(function, settings.AppSettings);
            }

            // The worker handles one FunctionLoadRequest per function (not the collection form), with the metadata it reported.
            var loads = metadata.FunctionMetadataResults.Select(async function =>
            {
                var loaded = (await handshake.RequestAsync("load", new StreamingMessage
                {
                    FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
                }, WorkerConnection.LoadKey(function.FunctionId)).ConfigureAwait(false)).FunctionLoadResponse;
                handshake.EnsureSucceeded("load", loaded.Result);
                return new LoadedFunction(function.Name, function.FunctionId, function, resolved[function.FunctionId]);
            });
            var functions = await Task.WhenAll(loads).ConfigureAwait(false);
            var startupDuration = Stopwatch.GetElapsedTime(processStarting);

            // The worker reports its listener before the listener accepts connections; tests start right after.
            await handshake.StepAsync("http listener", ListenerAcceptsAsync(new Uri(init.Capabilities["HttpUri"]), cancellationToken)).ConfigureAwait(false);
            return new FunctionsHost(server, connection, worker, init, functions, HttpRoutes.Build(settings.AppDirectory, functions), startupDuration);
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

    /// <summary>
    /// Invokes a timer function as the host does when its schedule fires (or fired while nothing ran, <paramref name="isPastDue"/>).
    /// Cancelling <paramref name="cancellationToken"/> sends <c>InvocationCancel</c>, as the host does when it stops an
    /// invocation; the worker's answer to the cancelled invocation is still awaited and returned.
    /// </summary>
    public async Task<InvocationResponse> InvokeTimerAsync(string functionName, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var function = Function(functionName);
        var timerInfo = $$"""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":{{(isPastDue ? "true" : "false")}}}""";
        var invocationId = Guid.NewGuid().ToString();
        return await InvokeAsync(function, invocationId, new TypedData { Json = timerInfo }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an HTTP request to the host: routed by the functions' metadata under the route prefix (no route for the path
    /// and method: 404, nothing forwarded), admitted by function key where the route's <c>authLevel</c> asks for one (none
    /// or a wrong one: 401, nothing forwarded), then forwarded to the worker's listener with <c>x-ms-invocation-id</c> and
    /// paired with its <c>InvocationRequest</c> (its trigger input an empty <c>RpcHttp</c>), as the host does with ASP.NET
    /// Core integration. Cancelling <paramref name="cancellationToken"/> also sends <c>InvocationCancel</c>.
    /// </summary>
    /// <param name="pathAndQuery">As a client sends it, e.g. <c>api/token/refresh?force=true</c>; a key may be its <c>code</c> parameter.</param>
    /// <param name="key">Sent as the <c>x-functions-key</c> header (see <see cref="FunctionKey"/>, <see cref="HostKey"/>).</param>
    public async Task<HttpInvocation> SendAsync(HttpMethod method, string pathAndQuery, string? key = null, CancellationToken cancellationToken = default)
    {
        if (_routes.Match(method, pathAndQuery) is not { } route)
        {
            return new HttpInvocation(HttpAnswer.FromHost(404), null, null);
        }

        if (!_keys.Admit(route, key ?? CodeParameter(pathAndQuery)))
        {
            return new HttpInvocation(HttpAnswer.FromHost(401), route.Function.Name, null);
        }

        var invocationId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(method, new Uri(HttpUri, pathAndQuery));
        request.Headers.Add(InvocationIdHeader, invocationId);
        if (key is not null)
        {
            request.Headers.Add(FunctionKeys.Header, key);
        }

        // The request first, then the invocation: the worker waits only a few seconds for the invocation of a request.
        var forwarded = _http.SendAsync(request, cancellationToken);
        var invoked = InvokeAsync(route.Function, invocationId, new TypedData { Http = new RpcHttp() }, cancellationToken);
        HttpAnswer answer;
        try
        {
            using var response = await forwarded.ConfigureAwait(false);
            answer = await HttpAnswer.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up: the invocation has been told (InvocationCancel); wait for its end, then say so.
            await invoked.ConfigureAwait(false);
            throw;
        }

        return new HttpInvocation(answer, route.Function.Name, await invoked.ConfigureAwait(false));
    }

    /// <summary>
    /// Sends <c>WorkerTerminate</c> and waits for the worker to exit, killing it after the grace period; returns its exit
    /// code, which must be 0. Disposing the host stops it the same way, so no test ends with a worker that crashed or hung.
    /// </summary>
    /// <exception cref="WorkerStopFailedException">The worker exited with another code, or had to be killed.</exception>
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
            // The stream is already closed: the worker is exiting or gone; its exit code says which.
        }

        var (exitCode, killed) = await _worker.WaitForExitOrKillAsync(TerminateGracePeriod * 3).ConfigureAwait(false);
        _exitCode = exitCode;
        if (killed || exitCode != 0)
        {
            throw new WorkerStopFailedException(exitCode, killed, _worker.StandardError);
        }

        return exitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _worker.Dispose();
            _http.Dispose();
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the invocation and awaits the worker's answer; when <paramref name="cancellationToken"/> is cancelled first,
    /// sends <c>InvocationCancel</c> and keeps waiting (bounded) for the answer to the cancelled invocation.
    /// </summary>
    private async Task<InvocationResponse> InvokeAsync(LoadedFunction function, string invocationId, TypedData trigger, CancellationToken cancellationToken)
    {
        // Not the caller's token: cancelling sends InvocationCancel below, and the answer is still awaited.
        var answer = _connection.RequestAsync(Invocation(function, invocationId, trigger), WorkerConnection.InvocationKey(invocationId), InvocationTimeout, CancellationToken.None);
        await using (cancellationToken.Register(() => _connection.TrySend(new StreamingMessage
        {
            InvocationCancel = new InvocationCancel { InvocationId = invocationId, GracePeriod = Duration.FromTimeSpan(CancelGracePeriod) },
        })))
        {
            return (await answer.ConfigureAwait(false)).InvocationResponse;
        }
    }

    private static string? CodeParameter(string pathAndQuery) =>
        pathAndQuery.Split('?', 2) is [_, var query]
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).TryGetValue("code", out var code) ? code.ToString() : null
            : null;

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

            // A step that ran out of time is a hang, never a failure the worker reported, whichever timer noticed first.
            var failure = finished == task ? task.Exception?.GetBaseException() : null;
            var timedOut = finished != worker.Exited && (finished != task || failure is TimeoutException);
            throw await FailedAsync(step, timedOut ? null : failure?.Message, timedOut).ConfigureAwait(false);
        }

        public Task<StreamingMessage> RequestAsync(string step, StreamingMessage message, string answerKey) =>
            StepAsync(step, connection.RequestAsync(message, answerKey, settings.StepTimeout));

        /// <summary>The function's trigger binding with its expressions resolved; refuses a function whose expression names no setting.</summary>
        public JsonElement Index(RpcFunctionMetadata function, IReadOnlyDictionary<string, string> appSettings)
        {
            try
            {
                foreach (var binding in function.RawBindings)
                {
                    BindingExpressions.Resolve(function.Name, binding, appSettings);
                }

                return BindingExpressions.Resolve(function.Name, LoadedFunction.TriggerRawBinding(function), appSettings);
            }
            catch (UnresolvedBindingException e)
            {
                throw new WorkerStartFailedException("load", null, null, worker.StandardError, connection.Logs, hostError: e.Message);
            }
        }

        public void EnsureSucceeded(string step, StatusResult result)
        {
            if (result.Status != StatusResult.Types.Status.Success)
            {
                throw new WorkerStartFailedException(step, null, result.Exception?.Message ?? result.Result, worker.StandardError, connection.Logs);
            }
        }

        private async Task<WorkerStartFailedException> FailedAsync(string step, string? error, bool timedOut)
        {
            // A worker that failed on its own exits shortly: wait for it so its exit code and stderr are complete.
            int? exitCode = null;
            if (await Task.WhenAny(worker.Exited, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) == worker.Exited)
            {
                exitCode = worker.ExitCode;
            }

            return new WorkerStartFailedException(step, exitCode, error, worker.StandardError, connection.Logs, timedOut && exitCode is null);
        }
    }
}
