using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Functions.Http;

namespace WelkinTokenRefresher.Functions.Functions;

/// <summary><c>GET /api/token/status</c>: the vault's token metadata; 200 while it has 5 minutes or more to live, else 503.</summary>
public sealed class TokenStatus(ITokenRefresher refresher)
{
    [Function(nameof(TokenStatus))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "token/status")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await refresher.GetStatusAsync(cancellationToken);
        return JsonResults.Json(request.HttpContext.Response, report, ReportJsonContext.Default.TokenStatusReport,
            report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
