using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";

    /// <summary>Asserts the exit code and each diagnostic, showing the whole run when one is missing.</summary>
    public void AssertFailed(int exitCode, params string[] diagnostics)
    {
        Assert.True(ExitCode == exitCode, $"expected exit {exitCode}:\n{this}");
        foreach (var diagnostic in diagnostics)
        {
            Assert.True(StdErr.Contains(diagnostic, StringComparison.Ordinal), $"'{diagnostic}' is not on stderr:\n{this}");
        }
    }
}

/// <summary>
/// Runs <c>welkin-token</c> as a separate process with an explicit environment: the executable named by
/// <c>WELKIN_TOKEN_CLI</c> when set (CI points it at the Native AOT tool installed from its package, what users get),
/// else the JIT build next to the tests.
/// </summary>
internal static class WelkinTokenCli
{
    public const string InstalledToolVariable = "WELKIN_TOKEN_CLI";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The installed tool under test, or null for the JIT build.</summary>
    public static string? InstalledTool { get; } = System.Environment.GetEnvironmentVariable(InstalledToolVariable) is { Length: > 0 } path
        ? File.Exists(path) ? path : throw new FileNotFoundException($"{InstalledToolVariable} names no file.", path)
        : null;

    // Inherited settings that would point the child at something other than the sandbox under test.
    private static readonly string[] DroppedPrefixes = ["AZURE_", "IDENTITY_", "MSI_", "MSAL_", "Welkin__", "KeyVault__", "Refresh__", "Logging__", "AzureWebJobs", "APPLICATIONINSIGHTS_", "SSL_CERT_"];

    // No appsettings.json may be picked up from the working directory.
    private static readonly Lazy<string> WorkingDirectory = new(() => Directory.CreateTempSubdirectory("welkin-token-e2e-").FullName);

    /// <summary>The sandbox's settings, for the secret named <paramref name="secretName"/> (or the sandbox's own).</summary>
    public static Dictionary<string, string?> Environment(WelkinSandbox sandbox, string? secretName = null)
    {
        var environment = sandbox.EnvironmentSettings.ToDictionary(setting => setting.Key, setting => (string?)setting.Value, StringComparer.Ordinal);
        if (secretName is not null)
        {
            environment["KeyVault__SecretName"] = secretName;
        }

        return environment;
    }

    /// <summary>Runs <c>welkin-token args</c>; a null value in <paramref name="environment"/> removes that variable.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(InstalledTool ?? System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory.Value,
        };
        if (InstalledTool is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "welkin-token.dll"));
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (DictionaryEntry inherited in System.Environment.GetEnvironmentVariables())
        {
            var name = (string)inherited.Key;
            if (!DroppedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                start.Environment[name] = (string?)inherited.Value;
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("welkin-token did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"welkin-token {string.Join(' ', args)} did not exit within {Deadline}.");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    public static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
