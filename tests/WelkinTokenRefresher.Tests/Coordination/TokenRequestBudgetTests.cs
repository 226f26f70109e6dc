using WelkinTokenRefresher.Core.Coordination;

namespace WelkinTokenRefresher.Tests.Coordination;

/// <summary>A lease holder's share of the shared token request limit, as the Welkin client's handler spends it.</summary>
public sealed class TokenRequestBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_budget_lets_exactly_its_allowance_through_and_records_when_each_was_sent()
    {
        var budget = new TokenRequestBudget();
        using var scope = budget.Begin(2, TimeSpan.FromMinutes(3));

        var taken = new[] { scope.TryTake(Now), scope.TryTake(Now.AddSeconds(1)), scope.TryTake(Now.AddSeconds(2)) };

        Assert.Equal([true, true, false], taken);
        Assert.Equal([Now, Now.AddSeconds(1)], scope.Sent);
        Assert.Equal(TimeSpan.FromMinutes(3), scope.RetryAfterWhenSpent);
    }

    [Fact]
    public void Of_two_blocks_seen_in_one_holding_the_later_end_is_kept()
    {
        using var scope = new TokenRequestBudget().Begin(3, TimeSpan.FromMinutes(5));

        scope.BlockUntil(Now.AddMinutes(5));
        scope.BlockUntil(Now.AddMinutes(2));
        var first = scope.BlockedUntil;
        scope.BlockUntil(Now.AddMinutes(7));

        Assert.Equal((Now.AddMinutes(5), Now.AddMinutes(7)), (first, scope.BlockedUntil));
    }

    [Fact]
    public void The_budget_is_current_from_begin_until_it_is_disposed()
    {
        var budget = new TokenRequestBudget();

        var scope = budget.Begin(1, TimeSpan.FromMinutes(5));
        var during = budget.Current;
        scope.Dispose();

        Assert.Same(scope, during);
        Assert.Null(budget.Current);
    }
}
