using System.Net;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// Innermost handler of the Welkin client: inside a lease it spends the shared budget per attempt and notes a 429
/// block, so the next holder, on any instance or after a restart, respects both.
/// </summary>
internal sealed class TokenRequestBudgetHandler(TokenRequestBudget budget, ClientKeys keys, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (budget.Current is not { } scope)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var sentAt = time.GetUtcNow();
        if (!scope.TryTake(sentAt))
        {
            throw new WelkinTokenException(
                WelkinFailureKind.RateLimited,
                $"The token requests shared by all instances of this app ({keys.MaxTokenRequestsPer5Minutes}) are used up; try again in {scope.RetryAfterWhenSpent:hh\\:mm\\:ss}.",
                scope.RetryAfterWhenSpent);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            scope.BlockUntil(WelkinRateGuard.BlockEnd(sentAt, RetryAfterHeader.Read(response, time.GetUtcNow())));
        }

        return response;
    }
}
