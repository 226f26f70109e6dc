using System.Reflection;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests.Infrastructure;

/// <summary>The built Functions app (its own output folder, recorded at build time) and the settings that point it at a sandbox.</summary>
internal static class FunctionsApp
{
    public const string RefreshOnSchedule = nameof(RefreshOnSchedule);
    public const string RefreshOnDemand = nameof(RefreshOnDemand);
    public const string TokenStatus = nameof(TokenStatus);

    private static readonly string EntryAssemblyPath = typeof(FunctionsApp).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "FunctionsAppPath").Value!;

    /// <summary>
    /// The sandbox's settings (Welkin, vault, managed identity, CA trust) as app settings, plus <c>Refresh__Schedule</c>,
    /// which the deployment always sets (infra/modules/functionapp.bicep) because the host resolves the timer's
    /// <c>%Refresh:Schedule%</c> from the app settings; with <paramref name="change"/> applied.
    /// </summary>
    public static FunctionsWorkerSettings Settings(WelkinSandbox sandbox, Action<Dictionary<string, string>>? change = null)
    {
        var settings = sandbox.EnvironmentSettings.ToDictionary(StringComparer.Ordinal);
        settings["Refresh__Schedule"] = new RefreshOptions().Schedule;
        change?.Invoke(settings);
        return new FunctionsWorkerSettings
        {
            AppDirectory = Path.GetDirectoryName(EntryAssemblyPath)!,
            EntryAssembly = Path.GetFileName(EntryAssemblyPath),
            AppSettings = settings,
        };
    }
}
