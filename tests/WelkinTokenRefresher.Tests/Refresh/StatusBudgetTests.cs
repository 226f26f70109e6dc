using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>
/// Status shows each client's budget: its token requests counted in the last 5 minutes against its own ceiling, and a
/// Welkin block in force, from the budget all instances share where storage holds one, else from this instance's guard.
/// </summary>
public sealed class StatusBudgetTests
{
    [Fact]
    public async Task Without_storage_the_instances_guard_counts_each_clients_requests_against_its_own_ceiling()
    {
        using var harness = new MultiClientHarness(["live"], s => s["Welkin:Clients:live:MaxTokenRequestsPer5Minutes"] = "3");
        harness.EveryWelkinIssues();
        await harness.Refresher("default").RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);

        var statuses = await harness.Registry.GetAllStatusAsync(ClientUse.ReadVault, CancellationToken.None);

        Assert.Equal([("default", 1, 10), ("live", 0, 3)], statuses.Select(s => (s.Client, s.TokenRequestsLast5Minutes!.Value, s.MaxTokenRequestsPer5Minutes!.Value)));
        Assert.All(statuses, s => Assert.Null(s.BlockedUntil));

        // A request leaves the count once five minutes have passed since it was sent (the guard's own window rule).
        harness.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1));
        var later = await harness.Refresher("default").GetStatusAsync(ClientUse.ReadVault, CancellationToken.None);
        Assert.Equal(0, later.TokenRequestsLast5Minutes);
    }

    [Fact]
    public async Task A_429_shows_as_blocked_until_the_blocks_end_and_the_json_always_carries_the_three_fields()
    {
        using var harness = new MultiClientHarness(["live"]);
        harness.EveryWelkinIssues();
        harness.Welkin["live"].Respond = _ =>
        {
            var answer = WelkinAnswers.Status(HttpStatusCode.TooManyRequests);
            answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(120));
            return answer;
        };
        var sentAt = harness.Time.GetUtcNow();
        await harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        var live = await harness.Refresher("live").GetStatusAsync(ClientUse.Refresh, CancellationToken.None);
        var @default = await harness.Refresher("default").GetStatusAsync(ClientUse.Refresh, CancellationToken.None);

        Assert.Equal((1, 10, sentAt.AddSeconds(120)), (live.TokenRequestsLast5Minutes, live.MaxTokenRequestsPer5Minutes, live.BlockedUntil));
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(@default, ReportJsonContext.Default.TokenStatusReport));
        Assert.Equal(1, json.RootElement.GetProperty("tokenRequestsLast5Minutes").GetInt32());
        Assert.Equal(10, json.RootElement.GetProperty("maxTokenRequestsPer5Minutes").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("blockedUntil").ValueKind);
        Assert.Equal(sentAt.AddSeconds(120), JsonDocument.Parse(JsonSerializer.Serialize(live, ReportJsonContext.Default.TokenStatusReport)).RootElement.GetProperty("blockedUntil").GetDateTimeOffset());
    }

    [Fact]
    public async Task With_storage_the_budget_all_instances_share_is_shown_not_this_instances()
    {
        InMemoryRefreshLeaseStore? lease = null;
        using var harness = new MultiClientHarness([], services: s => s.Replace(ServiceDescriptor.Singleton<IRefreshLeaseStore>(_ => lease!)));
        lease = new InMemoryRefreshLeaseStore(harness.Time);
        var now = harness.Time.GetUtcNow();
        // Three requests other instances sent, one of them 6 minutes ago (no longer counted), and a block they saw.
        lease.TakenElsewhere(TimeSpan.Zero, RefreshLockState.Empty with { Requests = [now.AddMinutes(-6), now.AddMinutes(-2), now.AddMinutes(-1)], BlockedUntil = now.AddMinutes(3) });

        var status = await harness.Refresher("default").GetStatusAsync(ClientUse.ReadVault, CancellationToken.None);

        Assert.Equal((2, 10, now.AddMinutes(3)), (status.TokenRequestsLast5Minutes, status.MaxTokenRequestsPer5Minutes, status.BlockedUntil));
    }

    [Fact]
    public async Task A_client_without_its_secret_still_shows_its_ceiling()
    {
        using var harness = new MultiClientHarness(["live"], s =>
        {
            s.Remove("Welkin:Clients:live:Secret");
            s["Welkin:Clients:live:MaxTokenRequestsPer5Minutes"] = "4";
        });

        var status = await harness.Refresher("live").GetStatusAsync(ClientUse.ReadVault, CancellationToken.None);

        Assert.Equal((0, 4), (status.TokenRequestsLast5Minutes, status.MaxTokenRequestsPer5Minutes));
    }
}
