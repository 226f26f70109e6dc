using System.Text.Json;

namespace WelkinTokenRefresher.Tests.Functions;

/// <summary>functions.metadata as the worker SDK wrote it into the build output: what the Functions host will index.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly JsonElement[] Functions = Load();

    private static JsonElement[] Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Functions project's build output was not copied.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(f => f.Clone())];
    }

    private static JsonElement Function(string name) => Assert.Single(Functions, f => f.GetProperty("name").GetString() == name);

    private static JsonElement Trigger(string name) =>
        Assert.Single(Function(name).GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void Exactly_the_three_functions_are_declared()
    {
        Assert.Equal(["RefreshOnDemand", "RefreshOnSchedule", "TokenStatus"], Functions.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(Functions, f => Assert.Equal("WelkinTokenRefresher.Functions.dll", f.GetProperty("scriptFile").GetString()));
    }

    [Fact]
    public void Timer_runs_on_the_schedule_app_setting_and_not_on_startup()
    {
        var timer = Trigger("RefreshOnSchedule");

        Assert.Equal("timerTrigger", timer.GetProperty("type").GetString());
        Assert.Equal("%Refresh:Schedule%", timer.GetProperty("schedule").GetString());
        Assert.True(!timer.TryGetProperty("runOnStartup", out var runOnStartup) || !runOnStartup.GetBoolean());
        Assert.False(timer.TryGetProperty("RunOnStartup", out _));
    }

    [Theory]
    [InlineData("RefreshOnDemand", "token/refresh", "post")]
    [InlineData("TokenStatus", "token/status", "get")]
    public void Http_function_has_its_route_method_and_function_auth_level(string name, string route, string method)
    {
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Contains(Function(name).GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
    }
}
