using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>What the worker answered on a forwarded HTTP request.</summary>
public sealed record HttpAnswer(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A response or content header (values comma-joined), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    internal static async Task<HttpAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(header => header.Key, header => string.Join(", ", header.Value), StringComparer.OrdinalIgnoreCase);
        return new HttpAnswer((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>An HTTP request forwarded to the worker and its paired invocation: the HTTP answer and the invocation's result.</summary>
public sealed record HttpInvocation(HttpAnswer Answer, InvocationResponse Invocation);
