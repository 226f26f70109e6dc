namespace WelkinTokenRefresher.Sandbox.Welkin;

/// <summary>A snapshot of what the Welkin emulator has seen since start or the last reset.</summary>
/// <param name="TokenRequests">Every request to the token path.</param>
/// <param name="ByOutcome">Token requests per outcome (every outcome present, zero or more).</param>
/// <param name="PingCalls">Every request to the protected ping endpoint.</param>
/// <param name="PingRejected">Ping calls answered 401.</param>
/// <param name="PeakTokenRequestsInWindow">The most token requests seen in any rolling rate window.</param>
/// <param name="Blocks">How many times the rate limit started a block.</param>
/// <param name="ChunkedTokenRequests">Token requests whose body came chunked (no Content-Length), which some gateways refuse with 411.</param>
public sealed record WelkinCounters(
    long TokenRequests,
    IReadOnlyDictionary<TokenRequestOutcome, long> ByOutcome,
    long PingCalls,
    long PingRejected,
    int PeakTokenRequestsInWindow,
    long Blocks,
    long ChunkedTokenRequests)
{
    /// <summary>Tokens handed out by normal 200 answers (not by body faults).</summary>
    public long TokensIssued => ByOutcome[TokenRequestOutcome.Issued];

    public long PingAccepted => PingCalls - PingRejected;
}
