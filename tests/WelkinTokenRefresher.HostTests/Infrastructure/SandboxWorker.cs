using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests.Infrastructure;

/// <summary>
/// One sandbox and one worker process started against it by the host stand-in, shared by the tests of a class (a worker
/// start costs seconds on a small machine). Tests in a class run one at a time and each seeds the vault state it needs.
/// </summary>
public sealed class SandboxWorker : IAsyncLifetime
{
    private WelkinSandbox? _sandbox;
    private FunctionsHost? _host;

    public WelkinSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public FunctionsHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _sandbox = await WelkinSandbox.StartAsync();
        try
        {
            _host = await FunctionsHost.StartAsync(FunctionsApp.Settings(_sandbox));
        }
        catch
        {
            await _sandbox.DisposeAsync();
            _sandbox = null;
            throw;
        }
    }

    /// <summary>Clears counters and scheduled faults so that a test counts only its own requests.</summary>
    public void Reset()
    {
        Sandbox.Welkin.Faults.Clear();
        Sandbox.Welkin.Processing = null;
        Sandbox.Welkin.EndOutage();
        Sandbox.Welkin.ResetCounters();
        Sandbox.KeyVault.ResetCounters();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}
