using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Functions.Http;

/// <summary>Writes the core's reports as source-generated JSON with the status code and headers they call for.</summary>
internal static class JsonResults
{
    public static IActionResult Json<T>(HttpResponse response, T report, JsonTypeInfo<T> typeInfo, int statusCode, TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } r)
        {
            response.Headers.RetryAfter = RefreshReport.ToRetryAfterSeconds(r).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.Headers.CacheControl = "no-store";
        return new ContentResult
        {
            Content = JsonSerializer.Serialize(report, typeInfo),
            ContentType = "application/json; charset=utf-8",
            StatusCode = statusCode,
        };
    }

    public static IActionResult Error(HttpResponse response, int statusCode, string category, string message, string client) =>
        Json(response, new ErrorReport(category, message, client), ReportJsonContext.Default.ErrorReport, statusCode);
}
