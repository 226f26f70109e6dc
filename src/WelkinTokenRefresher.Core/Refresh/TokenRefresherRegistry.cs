using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Reporting;

namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>
/// Finds each client's refresher among the keyed services registered under its name. Refreshers report every failure as
/// an outcome rather than throwing, so running them side by side never lets one client's error drop another's answer.
/// </summary>
internal sealed class TokenRefresherRegistry(IServiceProvider services, ConfiguredClients clients) : ITokenRefresherRegistry
{
    public IReadOnlyList<string> ClientNames => clients.Names;

    public bool TryGet(string client, [NotNullWhen(true)] out ITokenRefresher? refresher)
    {
        refresher = ClientNames.Contains(client, StringComparer.Ordinal) ? services.GetRequiredKeyedService<ITokenRefresher>(client) : null;
        return refresher is not null;
    }

    public async Task<IReadOnlyList<RefreshOutcome>> RefreshAllAsync(RefreshTrigger trigger, bool force, CancellationToken cancellationToken, DateTimeOffset? requestedAt = null) =>
        await Task.WhenAll(ClientNames.Select(name => Task.Run(
            () => services.GetRequiredKeyedService<ITokenRefresher>(name).RefreshAsync(trigger, force, cancellationToken, requestedAt), cancellationToken)));

    public async Task<IReadOnlyList<TokenStatusReport>> GetAllStatusAsync(ClientUse use, CancellationToken cancellationToken) =>
        await Task.WhenAll(ClientNames.Select(name => Task.Run(
            () => services.GetRequiredKeyedService<ITokenRefresher>(name).GetStatusAsync(use, cancellationToken), cancellationToken)));
}
