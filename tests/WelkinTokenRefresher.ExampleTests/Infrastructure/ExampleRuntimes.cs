using System.Diagnostics;

namespace WelkinTokenRefresher.ExampleTests.Infrastructure;

/// <summary>
/// The interpreters the examples run on. Python: the first of $WELKIN_PYTHON, /usr/bin/python3 (Debian's python3-azure
/// installs there) and python3 on PATH that imports the Azure SDK and requests. JavaScript: node, with the example's
/// pinned packages installed by <c>npm ci</c> when missing. Neither found is a failure that says how to install it.
/// </summary>
internal static class ExampleRuntimes
{
    private static readonly Lazy<string> PythonInterpreter = new(FindPython);
    private static readonly Lazy<string> NodeWithPackages = new(InstallJavaScriptPackages);

    public static string Python => PythonInterpreter.Value;

    public static string Node => NodeWithPackages.Value;

    private static string FindPython()
    {
        string?[] candidates = [Environment.GetEnvironmentVariable("WELKIN_PYTHON"), "/usr/bin/python3", "python3"];
        foreach (var candidate in candidates.OfType<string>().Where(c => c.Length > 0))
        {
            if (TryRun(candidate, ["-c", "import azure.identity, azure.keyvault.secrets, requests"], TimeSpan.FromMinutes(1), out _))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "The Python consumer example needs azure-identity, azure-keyvault-secrets and requests, and no Python found has them " +
            "($WELKIN_PYTHON, /usr/bin/python3, python3). Install them (Debian/Ubuntu: `sudo apt-get install python3-azure python3-requests`, " +
            "as .ci/run does; elsewhere `pip install azure-identity azure-keyvault-secrets requests`), or set WELKIN_PYTHON to an interpreter that has them.");
    }

    private static string InstallJavaScriptPackages()
    {
        var folder = RepoPaths.Combine("docs", "examples", "javascript");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@azure", "keyvault-secrets")))
        {
            if (!TryRun("npm", ["ci", "--prefix", folder, "--no-audit", "--no-fund"], TimeSpan.FromMinutes(8), out var output))
            {
                throw new InvalidOperationException($"`npm ci --prefix docs/examples/javascript` failed; the JavaScript example needs Node.js 20 or later with npm: {output}");
            }
        }

        return "node";
    }

    private static bool TryRun(string fileName, string[] arguments, TimeSpan timeout, out string output)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                output = $"{fileName} did not finish within {timeout}.";
                return false;
            }

            output = stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            output = $"{fileName} could not be started: {error.Message}";
            return false;
        }
    }
}
