using System.Net;
using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Telemetry;

namespace WelkinTokenRefresher.Core.Welkin;

/// <summary>
/// Sits inside the retry pipeline, so every attempt, retries included, needs a permit from the <see cref="WelkinRateGuard"/>.
/// </summary>
internal sealed class WelkinRateGuardHandler(WelkinRateGuard guard, TimeProvider time, ILogger<WelkinRateGuardHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!guard.TryAcquire(out var retryAfter, out var blockedByWelkin))
        {
            Log.RateGuardRefused(logger, guard.Client, blockedByWelkin, retryAfter);
            throw new WelkinTokenException(
                WelkinFailureKind.RateLimited,
                blockedByWelkin
                    ? $"Welkin answered 429 Too Many Requests recently; no token request is sent for another {retryAfter:hh\\:mm\\:ss}."
                    : $"Our own limit of token requests per 5 minutes ({guard.Keys.MaxTokenRequestsPer5Minutes}) is reached; try again in {retryAfter:hh\\:mm\\:ss}.",
                retryAfter);
        }

        var sentAt = time.GetUtcNow();
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var now = time.GetUtcNow();
            var blockedUntil = guard.BlockAfterWelkin429(RetryAfterHeader.Read(response, now), sentAt);
            Log.WelkinBlocked(logger, guard.Client, blockedUntil - now);
        }

        return response;
    }
}
