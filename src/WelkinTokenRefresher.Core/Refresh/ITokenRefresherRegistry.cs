using System.Diagnostics.CodeAnalysis;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>The refresher of every configured Welkin API client, by name.</summary>
public interface ITokenRefresherRegistry
{
    /// <summary>The configured client names, in configuration order (<c>default</c> first when it exists), valid or not.</summary>
    IReadOnlyList<string> ClientNames { get; }

    bool TryGet(string client, [NotNullWhen(true)] out ITokenRefresher? refresher);

    /// <summary>
    /// Refreshes every client at once. Clients are independent: each runs on its own, so one client's failure, invalid
    /// configuration, block or slow answer neither delays nor stops nor changes another; the answer comes once all have
    /// finished, in <see cref="ClientNames"/> order. <paramref name="requestedAt"/> is as for <see cref="ITokenRefresher.RefreshAsync"/>.
    /// </summary>
    Task<IReadOnlyList<RefreshOutcome>> RefreshAllAsync(RefreshTrigger trigger, bool force, CancellationToken cancellationToken, DateTimeOffset? requestedAt = null);

    /// <summary>The status of every client, read at once, in <see cref="ClientNames"/> order (see <see cref="ITokenRefresher.GetStatusAsync"/>).</summary>
    Task<IReadOnlyList<TokenStatusReport>> GetAllStatusAsync(ClientUse use, CancellationToken cancellationToken);
}
