using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.Welkin;
using Xunit.Abstractions;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>
/// Three clients in one app for two simulated hours, the timer ticking every 5 minutes, while one client's Welkin fails
/// (503 outage) or blocks it (429 with Retry-After of an hour) for the first hour.
/// </summary>
public sealed class MultiClientIndependenceTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("outage")]
    [InlineData("blocked")]
    public async Task One_failing_client_for_an_hour_costs_the_others_nothing_and_recovers_on_its_own_budget(string failure)
    {
        var time = new FakeTimeProvider(Start);
        var options = new SandboxOptions { TimeProvider = time };
        await using var welkinDefault = await WelkinSandbox.StartAsync(options);
        await using var welkinLive = await WelkinSandbox.StartAsync(options);
        await using var welkinStaging = await WelkinSandbox.StartAsync(options);
        var clients = new ThreeClients(welkinLive, welkinStaging, time, $"t{Guid.NewGuid():N}");
        var vault = new MultiSecretVault(time);
        var defaultRequests = new WelkinRequestLog();
        using var app = new AppInstance(welkinDefault, vault, time, defaultRequests, configure: clients.Configure, services: clients.Record);
        if (failure == "outage")
        {
            welkinLive.Welkin.StartOutage(TimeSpan.FromHours(1), 503);
        }
        else
        {
            welkinLive.Welkin.Faults.Enqueue(WelkinFault.Status(429, TimeSpan.FromHours(1)));
        }

        var failedTicks = new List<int>();
        var uncovered = new List<string>();
        for (var minute = 0; minute <= 120; minute++)
        {
            if (minute % 5 == 0)
            {
                try
                {
                    await new RefreshOnSchedule(app.Registry).Run(new TimerInfo(), CancellationToken.None);
                }
                catch (ScheduledRefreshFailedException e)
                {
                    Assert.Equal(["live"], e.Failures.Select(f => f.Client));
                    failedTicks.Add(minute);
                }
            }

            var now = time.GetUtcNow();
            foreach (var client in ThreeClients.Names.Where(c => c != "live" || minute >= 60))
            {
                if (vault.Secret(clients.SecretName(client)).Latest?.Properties.ExpiresOn is not { } expires || expires < now.AddMinutes(5))
                {
                    uncovered.Add($"{client} at minute {minute}");
                }
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        var perClient = new Dictionary<string, WelkinRequestLog> { ["default"] = defaultRequests, ["live"] = clients.LiveRequests, ["staging"] = clients.StagingRequests };
        foreach (var (client, log) in perClient)
        {
            output.WriteLine($"{failure}: {client}: {log.Count} Welkin requests in 2 h, at most {log.MaxInAnyWindow(TimeSpan.FromMinutes(5))} in any 5 minutes");
        }

        output.WriteLine($"{failure}: failed ticks at minutes {string.Join(", ", failedTicks)}");
        Assert.Empty(uncovered);
        Assert.All(perClient.Values, log => Assert.InRange(log.MaxInAnyWindow(TimeSpan.FromMinutes(5)), 1, 10));
        // The healthy clients refresh as if alone: at 0, 50 and 100 minutes.
        Assert.Equal(3, defaultRequests.Count);
        Assert.Equal(3, clients.StagingRequests.Count);
        // The failing client fails every tick of its hour and refreshes at the first tick after it, on its own budget.
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 5), failedTicks);
        // Outage: 3 attempts (retries included) on each of the 12 ticks; blocked: the 429, then nothing for the hour.
        // Then its own refreshes at 60 and 110 minutes.
        Assert.Equal((failure == "outage" ? 12 * 3 : 1) + 2, clients.LiveRequests.Count);
        foreach (var instance in new[] { app })
        {
            SecretScanner.AssertClean([welkinDefault.Secret, welkinLive.Secret, welkinStaging.Secret], instance.Logs);
        }
    }
}
