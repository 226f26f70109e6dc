namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>The status of every client at once: healthy only when every client's token is.</summary>
public sealed record AllClientsStatusReport(bool Healthy, IReadOnlyList<TokenStatusReport> Clients)
{
    public static AllClientsStatusReport From(IReadOnlyList<TokenStatusReport> clients) => new(clients.All(c => c.Healthy), clients);
}
