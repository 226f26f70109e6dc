using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests;

/// <summary>The host resolves <c>%Refresh:Schedule%</c> from the app settings (<c>Refresh__Schedule</c>) before it loads the timer.</summary>
public sealed class BindingExpressionTests
{
    [Fact]
    public async Task The_timer_schedule_is_the_app_setting_it_names()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        await using var host = await FunctionsHost.StartAsync(FunctionsApp.Settings(sandbox, settings => settings["Refresh__Schedule"] = "0 */10 * * * *"));

        var timer = host.Function(FunctionsApp.RefreshOnSchedule);
        Assert.Equal("%Refresh:Schedule%", timer.TriggerJson.GetProperty("schedule").GetString());
        Assert.Equal("0 */10 * * * *", timer.ResolvedTrigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public async Task An_unresolvable_schedule_setting_fails_the_load_naming_the_expression_and_the_setting()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var settings = FunctionsApp.Settings(sandbox, settings => settings.Remove("Refresh__Schedule"));

        var failure = await Assert.ThrowsAsync<WorkerStartFailedException>(() => FunctionsHost.StartAsync(settings));

        Assert.Equal("load", failure.Step);
        Assert.False(failure.TimedOut);
        Assert.Contains("'%Refresh:Schedule%' does not resolve to a value", failure.HostError, StringComparison.Ordinal);
        Assert.Contains("Refresh__Schedule", failure.HostError, StringComparison.Ordinal);
        Assert.Contains("Functions.RefreshOnSchedule", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests + sandbox.KeyVault.Counters.Reads);
    }
}
