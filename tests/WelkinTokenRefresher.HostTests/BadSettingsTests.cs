using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests;

/// <summary>A missing or invalid app setting stops the worker at start-up with the key named, before it touches Welkin or the vault.</summary>
public sealed class BadSettingsTests
{
    public static TheoryData<string, string?, string> BadSettings => new()
    {
        { "KeyVault__VaultUri", null, "KeyVault:VaultUri" },
        { "Refresh__RefreshAfter", "banana", "Refresh:RefreshAfter" },
        // The Welkin secret pasted into the wrong setting: the key is named, the value is not repeated anywhere.
        { "Welkin__Timeout", PastedSecret, "Welkin:Timeout has a value that cannot be read as TimeSpan" },
    };

    private const string PastedSecret = "(the Welkin secret)";

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_missing_or_invalid_setting_fails_start_up_naming_the_key_and_writes_nothing(string variable, string? value, string key)
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        Vault.SeedDue(sandbox);
        var before = VaultSnapshot.Take(sandbox);
        var settings = FunctionsApp.Settings(sandbox, settings =>
        {
            if (value is null)
            {
                settings.Remove(variable);
            }
            else
            {
                settings[variable] = value == PastedSecret ? sandbox.Secret : value;
            }
        });

        var failure = await Assert.ThrowsAsync<WorkerStartFailedException>(() => FunctionsHost.StartAsync(settings));

        // The worker stops itself: it exits non-zero while the host waits for it. A worker that logged the key and then
        // hung until the step's timeout would be a different failure (TimedOut), and is not accepted here.
        Assert.False(failure.TimedOut, failure.ToString());
        Assert.True(failure.ExitCode is not (null or 0), failure.ToString());
        var said = failure.ReportedError + "\n" + failure.StandardError + "\n" + string.Join("\n", failure.Logs.Select(log => log.Message + " " + log.Exception?.Message));
        Assert.True(said.Contains(key, StringComparison.Ordinal), $"'{key}' is not named:\n{said}");
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(0, sandbox.KeyVault.Counters.Writes);
        Assert.Equal(before, VaultSnapshot.Take(sandbox));
        Secrets.AssertNoneIn(sandbox, failure.Logs, "", failure.StandardError, failure.ToString());
    }
}
