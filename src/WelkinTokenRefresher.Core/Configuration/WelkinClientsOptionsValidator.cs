using Microsoft.Extensions.Options;

namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>
/// The refresher's start-up rule: it starts while at least one client can be refreshed. An invalid client stops only
/// itself (each tick reports it as <c>configuration-invalid</c>); with none valid there is nothing to run, and start-up
/// fails with every client's problems.
/// </summary>
internal sealed class WelkinClientsOptionsValidator(ConfiguredClients clients) : IValidateOptions<WelkinClientsOptions>
{
    public ValidateOptionsResult Validate(string? name, WelkinClientsOptions options) =>
        clients.All.Any(c => c.Allows(ClientUse.Refresh))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(clients.All.SelectMany(c => c.Problems(ClientUse.Refresh)).Distinct(StringComparer.Ordinal));
}
