using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Functions.Http;

/// <summary>The optional <c>client</c> query parameter: absent or empty is <c>default</c>; an unknown name is a 404 listing the configured ones.</summary>
internal static class ClientParameter
{
    /// <summary>The named client's refresher, or the answer to send instead (400 for a repeated parameter, 404 for an unknown client).</summary>
    public static bool TryResolve(HttpRequest request, ITokenRefresherRegistry registry, out string client, out ITokenRefresher? refresher, out IActionResult? error)
    {
        var values = request.Query["client"];
        client = values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0]! : WelkinClientSettings.DefaultName;
        refresher = null;
        error = null;
        if (values.Count > 1)
        {
            error = JsonResults.Error(request.HttpContext.Response, StatusCodes.Status400BadRequest, "bad-request",
                "The query parameter 'client' may be given once.", client);
            return false;
        }

        if (!registry.TryGet(client, out refresher))
        {
            error = JsonResults.Json(request.HttpContext.Response, ErrorReport.UnknownClient(client, registry.ClientNames, "query parameter client", "the query parameter client=NAME (or all=true for the status)"),
                ReportJsonContext.Default.ErrorReport, StatusCodes.Status404NotFound);
            return false;
        }

        return true;
    }
}
