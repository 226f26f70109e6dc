namespace WelkinTokenRefresher.Sandbox.Tests;

/// <summary>
/// One sandbox whose managed identity endpoint is published through the process-wide IDENTITY_ENDPOINT and
/// IDENTITY_HEADER variables, which Azure.Identity reads. Tests that use DefaultAzureCredential share it and
/// run one at a time (a collection), because environment variables are global to the test process.
/// </summary>
public sealed class ManagedIdentityEnvironment : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _saved = [];

    public WelkinSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await WelkinSandbox.StartAsync();
        Publish(Sandbox);
    }

    /// <summary>Points the identity variables at <paramref name="sandbox"/> (restored when the fixture ends).</summary>
    public void Publish(WelkinSandbox sandbox)
    {
        foreach (var name in new[] { "IDENTITY_ENDPOINT", "IDENTITY_HEADER" })
        {
            _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, sandbox.EnvironmentSettings[name]);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        await Sandbox.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ManagedIdentityTests : ICollectionFixture<ManagedIdentityEnvironment>
{
    public const string Name = "Managed identity environment";
}
