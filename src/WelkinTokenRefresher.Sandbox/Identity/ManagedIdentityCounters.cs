namespace WelkinTokenRefresher.Sandbox.Identity;

/// <summary>A snapshot of the managed identity endpoint's traffic.</summary>
/// <param name="TokenRequests">Every request to the endpoint.</param>
/// <param name="TokensIssued">Requests answered with a token.</param>
public sealed record ManagedIdentityCounters(long TokenRequests, long TokensIssued)
{
    public long Rejected => TokenRequests - TokensIssued;
}
