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
    private static readonly string[] DroppedPrefixes = ["AZURE_", "IDENTITY_", "MSI_", "MSAL_", "Welkin__", "KeyVault__", "Refresh__", "Logging__", "AzureWebJobs", "APPLICATIONINSIGHTS_", "SSL_CERT_", "TMPDIR", "DOTNET_SYSTEM_IO_DISABLEFILELOCKING"];

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

    /// <summary>
    /// Runs <c>welkin-token args</c> in a workspace of its own (removed afterwards, see <see cref="CliWorkspace"/>); a null
    /// value in <paramref name="environment"/> removes that variable.
    /// </summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var workspace = CliWorkspace.Create();
        return await RunAsync(workspace, environment, args);
    }

    /// <summary>Runs <c>welkin-token args</c> in <paramref name="workspace"/>: its working directory and its temporary directory.</summary>
    public static Task<CliResult> RunAsync(CliWorkspace workspace, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunWrappedAsync(workspace, environment, wrapper: null, args);

    /// <summary>Runs <c>welkin-token args</c> through <paramref name="wrapper"/> (a shell line that receives the tool's path and arguments as "$@").</summary>
    public static async Task<CliResult> RunWrappedAsync(CliWorkspace workspace, IReadOnlyDictionary<string, string?> environment, string? wrapper, params string[] args)
    {
        var tool = InstalledTool ?? System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(wrapper is null ? tool : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace.Path,
        };
        if (wrapper is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(wrapper);
            start.ArgumentList.Add("welkin-token");
            start.ArgumentList.Add(tool);
        }

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

        // Lock files and anything else the tool puts in the temporary directory land in the workspace, never in the machine's.
        start.Environment["TMPDIR"] = workspace.Path;
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
