namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>What the stand-in host starts: a built or published Functions app and the app settings it passes as environment.</summary>
public sealed record FunctionsWorkerSettings
{
    /// <summary>The folder holding the app's entry assembly, <c>functions.metadata</c> and <c>host.json</c>.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The entry assembly's file name, e.g. <c>WelkinTokenRefresher.Functions.dll</c>.</summary>
    public required string EntryAssembly { get; init; }

    /// <summary>App settings, as environment variables (<c>Welkin__ApiClient</c>, <c>SSL_CERT_FILE</c>, …). Nothing else of this process leaks in.</summary>
    public IReadOnlyDictionary<string, string> AppSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>How long each start-up step (connection, init, metadata, loading) may take.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
