using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// <c>welkin-token</c> as installed, failing in each way an operator meets: one sentence on stdout, and on stderr one line
/// per failure (its category, what happened, which setting to check) within 500 bytes; the HTTP, resilience and Azure SDK
/// libraries stay quiet unless <c>--verbose</c> or a <c>Logging:LogLevel</c> setting asks for them.
/// </summary>
public sealed class CliDiagnosticsTests
{
    public const int MaxStdErrBytes = 500;

    public static TheoryData<string> Failures =>
    [
        "welkin-never-answers", "welkin-refused", "welkin-401", "welkin-429", "welkin-untrusted-certificate",
        "vault-403", "vault-unreachable", "vault-untrusted-certificate",
    ];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Each_failure_is_one_sentence_on_stdout_and_one_short_line_on_stderr(string failure)
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        await using var untrusted = new UntrustedTlsServer();
        var environment = WelkinTokenCli.Environment(sandbox);
        Vault.SeedDueToken(sandbox, sandbox.SecretName, TimeProvider.System.GetUtcNow());
        var seeded = sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version;
        var (exitCode, category, stdout, message) = failure switch
        {
            "welkin-never-answers" => Arrange(() =>
            {
                environment["Welkin__Timeout"] = "00:00:01";
                sandbox.Welkin.Faults.Enqueue(WelkinFault.SlowHeaders(TimeSpan.FromMinutes(5)), times: 3);
            }, 5, "welkin-unavailable", $"Not refreshed (welkin-unavailable): secret {sandbox.SecretName} version {seeded}",
                @"Welkin at 127\.0\.0\.1 did not answer in time: the last of (?<attempts>3) attempts was stopped after 00:00:01 \(Welkin:Timeout, the limit per attempt\); (?<total>\d+\.\d) s in all"),
            "welkin-refused" => Arrange(() => environment["Welkin__BaseUrl"] = $"http://127.0.0.1:{WelkinTokenCli.ClosedLoopbackPort()}",
                5, "welkin-unavailable", "Not refreshed (welkin-unavailable)", @"Welkin could not be reached at 127\.0\.0\.1 \(connection refused\) in 3 attempts, \d+\.\d s in all\. Check Welkin:BaseUrl and the network\."),
            "welkin-401" => Arrange(() => sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(401)),
                3, "credentials-rejected", "Not refreshed (credentials-rejected)", @"Welkin rejected the API client credentials \(401 Unauthorized[^)]*\): check Welkin:ApiClient and Welkin:Secret"),
            "welkin-429" => Arrange(() => sandbox.Welkin.Faults.Enqueue(WelkinFault.Status(429, TimeSpan.FromSeconds(240))),
                4, "rate-limited", "Not refreshed (rate-limited)", @"Welkin is rate limiting this API client \(429 Too Many Requests\).* Retry after 240 s\."),
            "welkin-untrusted-certificate" => Arrange(() => environment["Welkin__BaseUrl"] = untrusted.Url.AbsoluteUri,
                5, "welkin-unavailable", "Not refreshed (welkin-unavailable)", @"The TLS connection to Welkin at 127\.0\.0\.1 failed: its certificate is not trusted on this machine; to trust a private certificate authority, .*update-ca-certificates.*SSL_CERT_FILE.*Check Welkin:BaseUrl\."),
            "vault-403" => Arrange(() => sandbox.KeyVault.Access.DefaultRole = KeyVaultRole.None,
                6, "vault-forbidden", $"Not refreshed (vault-forbidden): secret {sandbox.SecretName}, its token not read", @"access denied \(403\)\. Grant this identity the Key Vault Secrets Officer"),
            "vault-unreachable" => Arrange(() => environment["KeyVault__VaultUri"] = $"https://127.0.0.1:{WelkinTokenCli.ClosedLoopbackPort()}/",
                6, "vault-unavailable", $"Not refreshed (vault-unavailable): secret {sandbox.SecretName}, its token not read", @"the vault could not be reached \(connection refused\), retries included \(\d+\.\d s in all\)\. Check KeyVault:VaultUri and the network\."),
            "vault-untrusted-certificate" => Arrange(() => environment.Remove("SSL_CERT_FILE"),
                6, "vault-unavailable", $"Not refreshed (vault-unavailable): secret {sandbox.SecretName}, its token not read", @"the TLS connection failed: its certificate is not trusted on this machine; to trust a private certificate authority, .*SSL_CERT_FILE.*Check KeyVault:VaultUri\."),
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        };

        var result = await WelkinTokenCli.RunAsync(environment, "refresh");

        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}:\n{result}");
        Assert.StartsWith(stdout, result.StdOut, StringComparison.Ordinal);
        Assert.Single(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("no usable token", result.StdOut, StringComparison.Ordinal);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(Encoding.UTF8.GetByteCount(result.StdErr) <= MaxStdErrBytes, $"{Encoding.UTF8.GetByteCount(result.StdErr)} bytes on stderr:\n{result}");
        Assert.StartsWith($"welkin-token: {category}: ", line, StringComparison.Ordinal);
        var said = Regex.Match(line, message);
        Assert.True(said.Success, $"'{message}' does not match:\n{line}");
        if (said.Groups["total"].Success)
        {
            // What elapsed is stated: at least each attempt's full second.
            Assert.True(double.Parse(said.Groups["total"].Value, CultureInfo.InvariantCulture) >= int.Parse(said.Groups["attempts"].Value, CultureInfo.InvariantCulture), line);
        }

        Assert.Equal(seeded, sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version);
        Secrets.AssertNoneIn(result.ToString(), sandbox);
    }

    private static (int ExitCode, string Category, string StdOut, string Message) Arrange(Action arrange, int exitCode, string category, string stdout, string message)
    {
        arrange();
        return (exitCode, category, stdout, message);
    }

    [Fact]
    public async Task The_libraries_lines_appear_with_verbose_or_when_a_logging_setting_asks_for_them()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        sandbox.Welkin.StartOutage(statusCode: 503);

        var quiet = await WelkinTokenCli.RunAsync(environment, "refresh");
        var verbose = await WelkinTokenCli.RunAsync(environment, "refresh", "--verbose");
        environment["Logging__LogLevel__Polly"] = "Warning";
        var configured = await WelkinTokenCli.RunAsync(environment, "refresh");

        Assert.All(new[] { quiet, verbose, configured }, r => Assert.Equal(5, r.ExitCode));
        Assert.Single(quiet.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Polly[", verbose.StdErr, StringComparison.Ordinal);
        Assert.Contains("WelkinRequestLogger[1010]", verbose.StdErr, StringComparison.Ordinal);
        Assert.Contains("Polly[", configured.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("WelkinRequestLogger", configured.StdErr, StringComparison.Ordinal);
        Secrets.AssertNoneIn(verbose.ToString() + configured, sandbox);
    }

    [Fact]
    public async Task Outcomes_read_as_sentences_and_json_keeps_the_contract_values()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);

        var fetched = await WelkinTokenCli.RunAsync(environment, "refresh");
        var notDue = await WelkinTokenCli.RunAsync(environment, "refresh");
        var json = await WelkinTokenCli.RunAsync(environment, "refresh", "--json");
        var status = await WelkinTokenCli.RunAsync(environment, "status");

        var version = sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Version;
        Assert.StartsWith($"Fetched a new token (the vault had none): secret {sandbox.SecretName} version {version}, issued ", fetched.StdOut, StringComparison.Ordinal);
        Assert.StartsWith($"Not due: secret {sandbox.SecretName} version {version}, issued ", notDue.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"not-due\"", json.StdOut, StringComparison.Ordinal);
        Assert.StartsWith($"Healthy: secret {sandbox.SecretName} version {version}", status.StdOut, StringComparison.Ordinal);
        Assert.Equal("", fetched.StdErr + notDue.StdErr + json.StdErr + status.StdErr);
    }

    [Fact]
    public async Task Settings_that_no_option_reads_are_warned_about_by_key_with_the_one_they_were_meant_to_be()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var environment = WelkinTokenCli.Environment(sandbox);
        // A required key, an optional key and a client's key, each mistyped; the required one's value is the real client key.
        environment["Welkin__ApiClinet"] = environment["Welkin__ApiClient"];
        environment.Remove("Welkin__ApiClient");
        environment["Refresh__RefreshAftr"] = "00:10:00";
        environment["Welkin__Clients__live__Api"] = "api-clients";
        environment["Welkin__Clients__live__Tenent"] = "acme";
        environment["Welkin__Clients__live__ApiClient"] = sandbox.ApiClient;
        environment["Welkin__Clients__live__Secret"] = sandbox.Secret;

        var result = await WelkinTokenCli.RunAsync(environment, "refresh", "--client", "live");
        var all = await WelkinTokenCli.RunAsync(environment, "status", "--all", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        var warnings = result.StdErr.Split('\n').Where(l => l.StartsWith("welkin-token: warning: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "welkin-token: warning: Welkin:ApiClinet (environment variable Welkin__ApiClinet) is not a setting of this app and has no effect; did you mean Welkin:ApiClient?",
                "welkin-token: warning: Welkin:Clients:live:Tenent (environment variable Welkin__Clients__live__Tenent) is not a setting of this app and has no effect; did you mean Welkin:Clients:live:Tenant?",
                "welkin-token: warning: Refresh:RefreshAftr (environment variable Refresh__RefreshAftr) is not a setting of this app and has no effect; did you mean Refresh:RefreshAfter?",
            ],
            warnings);
        // The typo is why live has no tenant on api-clients: the failure names the key to set.
        Assert.Contains("Welkin:Clients:live:Tenant is required", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(3, all.StdErr.Split('\n').Count(l => l.StartsWith("welkin-token: warning: ", StringComparison.Ordinal)));
        Assert.StartsWith("{", all.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(result.ToString() + all, sandbox);
    }
}
