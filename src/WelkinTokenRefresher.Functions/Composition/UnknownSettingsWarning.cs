using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Functions.Composition;

/// <summary>At start, a warning for each app setting under Welkin, KeyVault or Refresh that no option reads (a typo has no effect otherwise).</summary>
internal sealed class UnknownSettingsWarning(IConfiguration configuration, ILogger<UnknownSettingsWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        UnknownSettings.Warn(configuration, logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
