using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Telemetry;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Logs each attempt of a client's token request in place of the HttpClient factory's own lines, which carry the request
/// URL: on the api-clients API its path holds <c>Tenant</c> and <c>ApiClient</c>, and a secret pasted into either would
/// be logged. Only the client, the host, the status and the time are written.
/// </summary>
internal sealed class WelkinRequestLogger(ILogger<WelkinRequestLogger> logger, string client) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        Log.WelkinAttemptAnswered(logger, client, request.RequestUri?.Host, (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        Log.WelkinAttemptFailed(logger, client, request.RequestUri?.Host, exception.GetType().Name, elapsed.TotalMilliseconds);
}
