using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

/// <summary>
/// A sandbox whose managed identity endpoint is published through this process's IDENTITY_ENDPOINT and IDENTITY_HEADER,
/// which DefaultAzureCredential reads when it is created. The variables are process-wide, so every test that uses one
/// belongs to <see cref="InProcessTests"/> (one at a time); they are restored on dispose.
/// </summary>
internal sealed class InProcessSandbox : IAsyncDisposable
{
    private static readonly string[] IdentityVariables = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"];
    private readonly Dictionary<string, string?> _saved;

    private InProcessSandbox(WelkinSandbox sandbox, FakeTimeProvider time, Dictionary<string, string?> saved)
    {
        Sandbox = sandbox;
        Time = time;
        _saved = saved;
    }

    public WelkinSandbox Sandbox { get; }

    /// <summary>The one clock of the sandbox, the refresher and the consumer; starts at the real current time.</summary>
    public FakeTimeProvider Time { get; }

    public static async Task<InProcessSandbox> StartAsync()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        // The vault checks bearer expiry on the fake clock, as Key Vault does on its own: identity tokens live 24 hours
        // from when the sandbox issued them, and no test here moves the clock that far.
        var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = time });
        var saved = IdentityVariables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        foreach (var name in IdentityVariables)
        {
            Environment.SetEnvironmentVariable(name, sandbox.EnvironmentSettings[name]);
        }

        return new InProcessSandbox(sandbox, time, saved);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await Sandbox.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class InProcessTests
{
    public const string Name = "In-process sandbox (process-wide identity variables)";
}
