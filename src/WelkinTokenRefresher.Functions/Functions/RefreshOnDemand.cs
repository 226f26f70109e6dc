using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Functions.Http;

namespace WelkinTokenRefresher.Functions.Functions;

/// <summary>
/// <c>POST /api/token/refresh[?force=true][&amp;client=NAME]</c>: refresh one client's token now if due, or forced, behind the
/// same guards as the timer. Without <c>client</c>, the <c>default</c> client.
/// </summary>
public sealed class RefreshOnDemand(ITokenRefresherRegistry registry)
{
    internal const long MaxBodyBytes = 1024;

    [Function(nameof(RefreshOnDemand))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "token/refresh")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ClientParameter.TryResolve(request, registry, out var client, out var refresher, out var error))
        {
            return error!;
        }

        if (!ForceParameter.TryParse(request.Query["force"], out var force))
        {
            return JsonResults.Error(request.HttpContext.Response, StatusCodes.Status400BadRequest, "bad-request",
                "The query parameter 'force' must be 'true' or 'false' (or absent).", client);
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return JsonResults.Error(request.HttpContext.Response, StatusCodes.Status413PayloadTooLarge, "bad-request",
                "This endpoint takes no request body; pass force as a query parameter.", client);
        }

        var outcome = await refresher!.RefreshAsync(RefreshTrigger.OnDemand, force, cancellationToken);
        return JsonResults.Json(request.HttpContext.Response, RefreshReport.From(outcome), ReportJsonContext.Default.RefreshReport,
            RefreshHttpStatus.From(outcome.Status), outcome.Status == RefreshStatus.Succeeded ? null : outcome.RetryAfter);
    }
}
