namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// Carries the lease holder's share of the instance-wide token request limit into the Welkin client's handler
/// pipeline, where each attempt (retries included) is counted. Outside a lease there is no budget and nothing changes.
/// </summary>
internal sealed class TokenRequestBudget
{
    // Async-local: the budget belongs to the refresh that opened it, and flows into the handlers its call runs.
    private readonly AsyncLocal<TokenRequestBudgetScope?> _current = new();

    public TokenRequestBudgetScope? Current => _current.Value;

    /// <summary>Opens a budget of <paramref name="allowed"/> requests for the calls made until it is disposed.</summary>
    public TokenRequestBudgetScope Begin(int allowed, TimeSpan retryAfterWhenSpent)
    {
        var scope = new TokenRequestBudgetScope(allowed, retryAfterWhenSpent, () => _current.Value = null);
        _current.Value = scope;
        return scope;
    }
}
