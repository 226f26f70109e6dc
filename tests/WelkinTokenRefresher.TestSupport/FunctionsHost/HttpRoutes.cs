using System.Text.Json;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>
/// The host's HTTP routing, built from the functions' own metadata: each <c>httpTrigger</c>'s <c>route</c> (the function's
/// name when absent) under <c>host.json</c>'s <c>extensions.http.routePrefix</c> (<c>api</c> by default), its
/// <c>methods</c> (any when absent) and its <c>authLevel</c>. The method is part of the route, as in the host: a request
/// whose path matches but whose method does not matches no route (azure-functions-host#10098, #11625: 404, not 405).
/// </summary>
internal sealed class HttpRoutes
{
    private readonly string[] _prefix;
    private readonly IReadOnlyList<HttpRoute> _routes;

    private HttpRoutes(string[] prefix, IReadOnlyList<HttpRoute> routes)
    {
        _prefix = prefix;
        _routes = routes;
    }

    public static HttpRoutes Build(string appDirectory, IEnumerable<LoadedFunction> functions)
    {
        var prefix = RoutePrefix(Path.Combine(appDirectory, "host.json"));
        var routes = functions
            .Where(function => function.Trigger.Value.Type == "httpTrigger")
            .Select(function =>
            {
                var trigger = function.ResolvedTrigger;
                var template = trigger.TryGetProperty("route", out var route) && route.GetString() is { Length: > 0 } given ? given : function.Name;
                var methods = trigger.TryGetProperty("methods", out var declared) && declared.ValueKind == JsonValueKind.Array
                    ? declared.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToHashSet()
                    : [];
                var authLevel = trigger.TryGetProperty("authLevel", out var level) ? level.GetString() ?? "Function" : "Function";
                return new HttpRoute(function, Segments(template), methods, authLevel);
            })
            .ToList();
        return new HttpRoutes(Segments(prefix), routes);
    }

    /// <summary>The function whose route and methods match, or null: the host answers 404 and forwards nothing.</summary>
    public HttpRoute? Match(HttpMethod method, string path)
    {
        var segments = Segments(path);
        if (segments.Length < _prefix.Length || !_prefix.SequenceEqual(segments.Take(_prefix.Length), StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = segments.Skip(_prefix.Length).ToArray();
        return _routes.FirstOrDefault(route => route.Matches(rest) && (route.Methods.Count == 0 || route.Methods.Contains(method.Method.ToUpperInvariant())));
    }

    private static string RoutePrefix(string hostJson)
    {
        if (!File.Exists(hostJson))
        {
            return "api";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(hostJson));
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
                ? prefix.GetString() ?? ""
                : "api";
    }

    private static string[] Segments(string path) => path.Split('?', 2)[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
}
