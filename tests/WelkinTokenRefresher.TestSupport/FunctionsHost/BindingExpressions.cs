using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>
/// The host's <c>%name%</c> binding expressions: each is replaced by the app setting <c>name</c>, read as the host reads
/// configuration (the environment variable with <c>:</c> written <c>__</c>, e.g. <c>%Refresh:Schedule%</c> from
/// <c>Refresh__Schedule</c>). One that names no setting stops the function from loading, as the host's indexing does
/// ("'%Refresh:Schedule%' does not resolve to a value.").
/// </summary>
internal static partial class BindingExpressions
{
    /// <summary>The binding with every expression resolved.</summary>
    /// <exception cref="UnresolvedBindingException">An expression names no app setting.</exception>
    public static JsonElement Resolve(string functionName, string rawBinding, IReadOnlyDictionary<string, string> appSettings)
    {
        var node = JsonNode.Parse(rawBinding)!;
        ResolveIn(functionName, node, appSettings);
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static void ResolveIn(string functionName, JsonNode node, IReadOnlyDictionary<string, string> appSettings)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[name] = Substitute(functionName, text, appSettings);
                    }
                    else if (child is not null)
                    {
                        ResolveIn(functionName, child, appSettings);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = Substitute(functionName, text, appSettings);
                    }
                    else if (array[i] is { } child)
                    {
                        ResolveIn(functionName, child, appSettings);
                    }
                }

                break;
        }
    }

    private static string Substitute(string functionName, string text, IReadOnlyDictionary<string, string> appSettings) =>
        Expression().Replace(text, match =>
        {
            var name = match.Groups["name"].Value;
            if (appSettings.TryGetValue(name, out var value) || appSettings.TryGetValue(name.Replace(":", "__", StringComparison.Ordinal), out value))
            {
                return value;
            }

            throw new UnresolvedBindingException(functionName, match.Value);
        });

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex Expression();
}
