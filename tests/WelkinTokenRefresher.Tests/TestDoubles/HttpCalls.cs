using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>Builds requests for the HTTP functions and reads their answers.</summary>
public static class HttpCalls
{
    public static HttpRequest Request(string method, string queryString = "", long? contentLength = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("refresher.example");
        context.Request.QueryString = new QueryString(queryString);
        context.Request.ContentLength = contentLength;
        return context.Request;
    }

    /// <summary>A request with a body; without <paramref name="contentLength"/> it is framed as chunked.</summary>
    public static HttpRequest Request(string method, string queryString, Stream body, long? contentLength = null)
    {
        var request = Request(method, queryString, contentLength);
        request.Body = body;
        if (contentLength is null)
        {
            request.Headers.TransferEncoding = "chunked";
        }

        return request;
    }

    /// <summary>The status code, the parsed JSON body and the raw body of a function's answer.</summary>
    public static (int Status, JsonElement Json, string Body) Read(IActionResult result)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.StartsWith("application/json", content.ContentType, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(content.Content!);
        return (content.StatusCode!.Value, document.RootElement.Clone(), content.Content!);
    }

    public static string[] PropertyNames(JsonElement json) =>
        [.. json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
