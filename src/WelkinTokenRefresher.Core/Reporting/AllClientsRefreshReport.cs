namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>The refresh of every client at once (<c>welkin-token refresh --all --json</c>).</summary>
public sealed record AllClientsRefreshReport(IReadOnlyList<RefreshReport> Clients);
