using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>A function the worker indexed and loaded, with the metadata it reported.</summary>
/// <param name="ResolvedTrigger">The trigger binding as the host uses it: every <c>%name%</c> replaced by its app setting.</param>
public sealed record LoadedFunction(string Name, string FunctionId, RpcFunctionMetadata Metadata, JsonElement ResolvedTrigger)
{
    /// <summary>The trigger binding's name (the function's parameter) and type, e.g. <c>timerTrigger</c>.</summary>
    public KeyValuePair<string, BindingInfo> Trigger =>
        Metadata.Bindings.Single(binding => binding.Value.Direction == BindingInfo.Types.Direction.In && binding.Value.Type.EndsWith("Trigger", StringComparison.Ordinal));

    /// <summary>The trigger's raw binding as the worker declared it (schedule, route, methods, authLevel).</summary>
    public JsonElement TriggerJson => TriggerBinding(Metadata);

    internal static JsonElement TriggerBinding(RpcFunctionMetadata metadata) => metadata.RawBindings
        .Select(Parse)
        .Single(binding => binding.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    internal static string TriggerRawBinding(RpcFunctionMetadata metadata) => metadata.RawBindings
        .Single(raw => Parse(raw).GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
