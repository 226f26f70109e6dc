using System.Diagnostics.CodeAnalysis;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>A registry over given refreshers (such as mocks), for the hosts' tests; every client runs at once, as in the core.</summary>
public sealed class StubRegistry(params (string Name, ITokenRefresher Refresher)[] clients) : ITokenRefresherRegistry
{
    public IReadOnlyList<string> ClientNames { get; } = [.. clients.Select(c => c.Name)];

    /// <summary>One refresher as the <c>default</c> client.</summary>
    public static StubRegistry Of(ITokenRefresher refresher) => new(("default", refresher));

    public bool TryGet(string client, [NotNullWhen(true)] out ITokenRefresher? refresher)
    {
        refresher = clients.FirstOrDefault(c => c.Name == client).Refresher;
        return refresher is not null;
    }

    public async Task<IReadOnlyList<RefreshOutcome>> RefreshAllAsync(RefreshTrigger trigger, bool force, CancellationToken cancellationToken, DateTimeOffset? requestedAt = null) =>
        await Task.WhenAll(clients.Select(c => c.Refresher.RefreshAsync(trigger, force, cancellationToken, requestedAt)));

    public async Task<IReadOnlyList<TokenStatusReport>> GetAllStatusAsync(ClientUse use, CancellationToken cancellationToken) =>
        await Task.WhenAll(clients.Select(c => c.Refresher.GetStatusAsync(use, cancellationToken)));
}
