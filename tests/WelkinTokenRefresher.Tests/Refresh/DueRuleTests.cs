using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>The due rule at each of its boundaries, with the clock driven by <see cref="FakeTimeProvider"/>.</summary>
public sealed class DueRuleTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly RefreshOptions Options = new();

    private readonly FakeTimeProvider _time = new(IssuedAt);

    // Each probe reads a clock set to its own instant, so probes may go back and forth in time.

    private static VaultReading Present(DateTimeOffset issuedAt, DateTimeOffset? expiresAt) =>
        VaultReading.Present(new StoredToken("welkin-api-token", "v1", issuedAt, expiresAt));

    private static DueDecision EvaluateAt(VaultReading reading, TimeSpan sinceIssue, RefreshOptions? options = null)
    {
        var clock = new FakeTimeProvider(IssuedAt + sinceIssue);
        return DueRule.Evaluate(reading, clock.GetUtcNow(), options ?? Options);
    }

    [Fact]
    public void Missing_secret_is_due()
    {
        Assert.Equal(new DueDecision(true, RefreshReasons.NoToken), DueRule.Evaluate(VaultReading.Missing, _time.GetUtcNow(), Options));
    }

    [Fact]
    public void Disabled_latest_version_is_due()
    {
        Assert.Equal(new DueDecision(true, RefreshReasons.Disabled), DueRule.Evaluate(VaultReading.Disabled, _time.GetUtcNow(), Options));
    }

    [Fact]
    public void Token_is_due_exactly_at_its_expiry_and_not_a_tick_before()
    {
        // Windows that cannot fire first, so only the expiry decides.
        var options = new RefreshOptions { RefreshAfter = TimeSpan.FromHours(2), RefreshBeforeExpiry = TimeSpan.FromTicks(1) };
        var reading = Present(IssuedAt, IssuedAt.AddHours(1));

        Assert.Equal(new DueDecision(true, RefreshReasons.Expired), EvaluateAt(reading, TimeSpan.FromHours(1), options));
        Assert.Equal(new DueDecision(true, RefreshReasons.Expired), EvaluateAt(reading, TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1), options));
        // A moment before expiry only the near-expiry window (with its tick tolerance) can fire.
        Assert.Equal(new DueDecision(true, RefreshReasons.NearExpiry), EvaluateAt(reading, TimeSpan.FromHours(1) - TimeSpan.FromSeconds(2), options));
        Assert.False(EvaluateAt(reading, TimeSpan.FromHours(1) - DueRule.TickTolerance - TimeSpan.FromSeconds(1), options).IsDue);
    }

    [Fact]
    public void Token_without_expiry_counts_as_expired()
    {
        Assert.Equal(new DueDecision(true, RefreshReasons.Expired), EvaluateAt(Present(IssuedAt, null), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void RefreshAfter_is_not_due_one_second_before_its_tolerance_and_due_from_it()
    {
        // Expiry far away so only RefreshAfter (50 min, less the one-minute tick tolerance) decides.
        var reading = Present(IssuedAt, IssuedAt.AddHours(3));
        var threshold = TimeSpan.FromMinutes(50) - DueRule.TickTolerance;

        Assert.Equal(new DueDecision(false, RefreshReasons.NotDue), EvaluateAt(reading, threshold - TimeSpan.FromSeconds(1)));
        Assert.Equal(new DueDecision(true, RefreshReasons.RefreshAfterElapsed), EvaluateAt(reading, threshold));
        Assert.Equal(new DueDecision(true, RefreshReasons.RefreshAfterElapsed), EvaluateAt(reading, TimeSpan.FromMinutes(50)));
    }

    [Fact]
    public void Tick_landing_a_moment_before_the_fifty_minute_mark_refreshes_instead_of_waiting_a_whole_tick()
    {
        // Fetched two seconds after the tick at 0:00; the tick at 0:50 finds it 49:58 old.
        var issued = IssuedAt + TimeSpan.FromSeconds(2);
        var reading = Present(issued, issued.AddHours(1));

        Assert.True(DueRule.Evaluate(reading, IssuedAt + TimeSpan.FromMinutes(50), Options).IsDue);
        Assert.False(DueRule.Evaluate(reading, IssuedAt + TimeSpan.FromMinutes(45), Options).IsDue);
    }

    [Fact]
    public void RefreshBeforeExpiry_is_not_due_one_second_before_its_tolerance_and_due_from_it()
    {
        // A 30-minute token: expiresAt - 10 min - 1 min tolerance comes at 19 min, long before RefreshAfter's 50 min.
        var reading = Present(IssuedAt, IssuedAt.AddMinutes(30));
        var threshold = TimeSpan.FromMinutes(20) - DueRule.TickTolerance;

        Assert.Equal(new DueDecision(false, RefreshReasons.NotDue), EvaluateAt(reading, threshold - TimeSpan.FromSeconds(1)));
        Assert.Equal(new DueDecision(true, RefreshReasons.NearExpiry), EvaluateAt(reading, threshold));
    }

    [Fact]
    public void Fresh_one_hour_token_is_not_due_until_fifty_minutes()
    {
        var reading = Present(IssuedAt, IssuedAt.AddHours(1));

        foreach (var minutes in new[] { 0, 5, 25, 45, 48 })
        {
            Assert.Equal(new DueDecision(false, RefreshReasons.NotDue), EvaluateAt(reading, TimeSpan.FromMinutes(minutes)));
        }

        Assert.True(EvaluateAt(reading, TimeSpan.FromMinutes(50)).IsDue);
    }

    [Fact]
    public void Configured_windows_are_honoured()
    {
        var options = new RefreshOptions { RefreshAfter = TimeSpan.FromMinutes(30), RefreshBeforeExpiry = TimeSpan.FromMinutes(5) };
        var reading = Present(IssuedAt, IssuedAt.AddHours(1));

        Assert.False(EvaluateAt(reading, TimeSpan.FromMinutes(29) - TimeSpan.FromSeconds(1), options).IsDue);
        Assert.Equal(new DueDecision(true, RefreshReasons.RefreshAfterElapsed), EvaluateAt(reading, TimeSpan.FromMinutes(29), options));
    }
}
