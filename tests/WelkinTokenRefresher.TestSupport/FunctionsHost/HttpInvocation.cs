using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>What the host answered an HTTP request with.</summary>
public sealed record HttpAnswer(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A response or content header (values comma-joined), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    internal static HttpAnswer FromHost(int statusCode) => new(statusCode, new Dictionary<string, string>(), "");

    internal static async Task<HttpAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(header => header.Key, header => string.Join(", ", header.Value), StringComparer.OrdinalIgnoreCase);
        return new HttpAnswer((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>
/// An HTTP request sent to the host: its answer and, when the host routed and forwarded it, the function it went to and
/// that invocation's result. A request the host refused itself (404 no route, 401 no valid key) reached no function.
/// </summary>
public sealed record HttpInvocation(HttpAnswer Answer, string? Function, InvocationResponse? Invocation)
{
    /// <summary>Whether the host forwarded the request to the worker (it routed and was admitted).</summary>
    public bool Forwarded => Invocation is not null;
}
