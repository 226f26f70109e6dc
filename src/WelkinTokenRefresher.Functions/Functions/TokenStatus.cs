using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Functions.Http;

namespace WelkinTokenRefresher.Functions.Functions;

/// <summary>
/// <c>GET /api/token/status[?client=NAME]</c>: one client's token metadata; <c>?all=true</c>: every client's at once.
/// 200 while the token (every token, with <c>all</c>) has 5 minutes or more to live, else 503: this is the refresher's
/// view, so a client whose configuration is invalid is 503 <c>configuration-invalid</c> (its token still shown).
/// </summary>
public sealed class TokenStatus(ITokenRefresherRegistry registry)
{
    [Function(nameof(TokenStatus))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "token/status")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!ForceParameter.TryParse(request.Query["all"], out var all) || (all && request.Query.ContainsKey("client")))
        {
            return JsonResults.Error(request.HttpContext.Response, StatusCodes.Status400BadRequest, "bad-request",
                "The query parameter 'all' must be 'true' or 'false' (or absent), and is not combined with 'client'.",
                request.Query["client"].FirstOrDefault() ?? WelkinClientSettings.DefaultName);
        }

        if (all)
        {
            var every = AllClientsStatusReport.From(await registry.GetAllStatusAsync(ClientUse.Refresh, cancellationToken));
            return JsonResults.Json(request.HttpContext.Response, every, ReportJsonContext.Default.AllClientsStatusReport, every.Clients.Any(c => c.Reason == RefreshReasons.InternalError) ? StatusCodes.Status500InternalServerError : HttpStatus(every.Healthy));
        }

        if (!ClientParameter.TryResolve(request, registry, out _, out var refresher, out var error))
        {
            return error!;
        }

        var report = await refresher!.GetStatusAsync(ClientUse.Refresh, cancellationToken);
        return JsonResults.Json(request.HttpContext.Response, report, ReportJsonContext.Default.TokenStatusReport, report.Reason == RefreshReasons.InternalError ? StatusCodes.Status500InternalServerError : HttpStatus(report.Healthy));
    }

    private static int HttpStatus(bool healthy) => healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
}
