using System.Runtime.CompilerServices;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Counts the attempts of one token request, inside the retries, so a failure can say how many were made. The count rides
/// on the request's options, which the resilience handler carries over to the copy it sends on each attempt.
/// </summary>
internal sealed class WelkinAttemptCounter : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<StrongBox<int>> Key = new("WelkinTokenRefresher.Attempts");

    /// <summary>Starts counting the attempts of <paramref name="request"/>; the box holds their number as they are made.</summary>
    public static StrongBox<int> Track(HttpRequestMessage request)
    {
        var attempts = new StrongBox<int>();
        request.Options.Set(Key, attempts);
        return attempts;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Key, out var attempts))
        {
            Interlocked.Increment(ref attempts.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
