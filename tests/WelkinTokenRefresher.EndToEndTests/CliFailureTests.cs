using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Cli;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.KeyVault;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// No failure escapes <c>welkin-token</c> as an unhandled exception: each kind is put in place (in this process where no
/// stand-in over the wire can cause it, else against the tool as installed) and the exit code, stdout and stderr are
/// asserted. With <c>--json</c> stdout is exactly one JSON object, failures included; stderr is one line, never a stack
/// trace, never an exception's message.
/// </summary>
public sealed class CliFailureTests
{
    private const string SecretInAMessage = "s3cr3t-in-an-exception-message";

    public static TheoryData<string> Commands => ["refresh", "status"];

    /// <summary>Asserts stdout is one JSON object and returns its category.</summary>
    private static string JsonCategory(CliResult result)
    {
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one JSON line on stdout:\n{result}");
        using var json = JsonDocument.Parse(lines[0]);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        return json.RootElement.GetProperty("category").GetString()!;
    }

    private static void AssertOneLineWithoutTrace(CliResult result, string start)
    {
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr:\n{result}");
        Assert.StartsWith(start, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SecretInAMessage, result.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task An_exception_nobody_classified_exits_70_naming_its_type_and_asking_for_a_report(string command)
    {
        void Defect(IServiceCollection services) => services.AddSingleton<ITokenRefresherRegistry>(new ThrowingRegistry());

        var text = await InProcessCli.RunAsync(InProcessCli.Settings(), Defect, command);
        var json = await InProcessCli.RunAsync(InProcessCli.Settings(), Defect, command, "--json");

        Assert.True(text.ExitCode == ExitCodes.InternalError, text.ToString());
        Assert.Equal(70, ExitCodes.InternalError);
        Assert.Equal("", text.StdOut);
        AssertOneLineWithoutTrace(text, "welkin-token: The welkin-token command failed with an unexpected System.InvalidOperationException;");
        Assert.Contains("please report it", text.StdErr, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 70, json.ToString());
        Assert.Equal(RefreshReasons.InternalError, JsonCategory(json));
        AssertOneLineWithoutTrace(json, "welkin-token: The welkin-token command failed with an unexpected System.InvalidOperationException;");
    }

    [Fact]
    public async Task A_Welkin_error_nobody_classified_exits_5_with_one_line_naming_its_type()
    {
        var vault = new InMemorySecretClient(TimeProvider.System, new Uri("https://example.vault.azure.net/"));
        void Fault(IServiceCollection services)
        {
            services.UseSecretClient(vault);
            services.AddHttpClient(WelkinTokenRefresherServiceCollectionExtensions.HttpClientName(WelkinClientSettings.DefaultName))
                .ConfigurePrimaryHttpMessageHandler(() => new ThrowingHandler());
        }

        var text = await InProcessCli.RunAsync(InProcessCli.Settings(), Fault, "refresh");
        var json = await InProcessCli.RunAsync(InProcessCli.Settings(), Fault, "refresh", "--json");

        Assert.True(text.ExitCode == ExitCodes.WelkinUnavailable, text.ToString());
        Assert.StartsWith("Not refreshed (welkin-error): secret welkin-api-token, no usable token in the vault.", text.StdOut, StringComparison.Ordinal);
        AssertOneLineWithoutTrace(text, "welkin-token: welkin-error: The token request to Welkin at welkin.example failed with System.NotSupportedException, which this app does not recognise. Check Welkin:BaseUrl");
        Assert.True(json.ExitCode == 5, json.ToString());
        Assert.Equal("welkin-error", JsonCategory(json));
        Assert.Equal(0, vault.Writes);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_Key_Vault_error_nobody_classified_exits_6_with_one_line_naming_its_type(string command)
    {
        var vault = new InMemorySecretClient(TimeProvider.System, new Uri("https://example.vault.azure.net/")) { ReadFailure = new NotSupportedException(SecretInAMessage) };
        void Fault(IServiceCollection services) => services.UseSecretClient(vault);

        var text = await InProcessCli.RunAsync(InProcessCli.Settings(), Fault, command);
        var json = await InProcessCli.RunAsync(InProcessCli.Settings(), Fault, command, "--json");

        Assert.True(text.ExitCode == ExitCodes.KeyVaultError, text.ToString());
        Assert.DoesNotContain("no token", text.StdOut, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("its token not read", text.StdOut, StringComparison.Ordinal);
        AssertOneLineWithoutTrace(text, "welkin-token: vault-error: Key Vault example.vault.azure.net could not read secret 'welkin-api-token': the Azure SDK failed with System.NotSupportedException");
        Assert.True(json.ExitCode == 6, json.ToString());
        Assert.Equal("vault-error", JsonCategory(json));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_malformed_settings_file_exits_2_naming_the_file_and_the_line(string command)
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        using var workspace = CliWorkspace.Create();
        workspace.Put("appsettings.json", "{\n  \"Welkin\": {\n    \"Secret\": \"" + sandbox.Secret + "\",\n    \"Timeout\": 00:00:02\n  }\n}\n");

        var text = await WelkinTokenCli.RunAsync(workspace, WelkinTokenCli.Environment(sandbox), command);
        var json = await WelkinTokenCli.RunAsync(workspace, WelkinTokenCli.Environment(sandbox), command, "--json");

        var file = Path.Combine(workspace.Path, "appsettings.json");
        text.AssertFailed(2, $"{file} is not valid JSON at line 4: fix it or remove it");
        Assert.Equal("", text.StdOut);
        Assert.True(json.ExitCode == 2, json.ToString());
        Assert.Equal("configuration-invalid", JsonCategory(json));
        Assert.Contains($"{file} is not valid JSON at line 4", json.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text.ToString() + json, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.KeyVault.Counters.Reads + sandbox.Welkin.Counters.TokenRequests);
        Secrets.AssertNoneIn(text.ToString() + json, sandbox);
    }

    [Fact]
    public async Task A_usage_error_with_json_prints_one_json_object_and_exits_2()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        var result = await WelkinTokenCli.RunAsync(WelkinTokenCli.Environment(sandbox), "refresh", "--json", "--no-such-option");

        result.AssertFailed(2, "welkin-token: Unrecognized command or argument '--no-such-option'.", "Run 'welkin-token --help' for usage.");
        Assert.Equal("usage", JsonCategory(result));
    }

    [Fact]
    public async Task A_stdout_that_cannot_be_written_exits_70_with_one_line_on_stderr()
    {
        // /dev/full fails every write with ENOSPC: an IOException no command expects, in the tool as installed. Linux
        // has it (CI runs there); other platforms have no such device and nothing to run this with.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var sandbox = await WelkinSandbox.StartAsync();
        using var workspace = CliWorkspace.Create();

        var result = await WelkinTokenCli.RunWrappedAsync(workspace, WelkinTokenCli.Environment(sandbox), "exec \"$@\" >/dev/full", "status");

        result.AssertFailed(70, "welkin-token: The welkin-token command failed with an unexpected System.IO.IOException;", "please report it");
        Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    private sealed class ThrowingRegistry : ITokenRefresherRegistry
    {
        public IReadOnlyList<string> ClientNames => throw new InvalidOperationException(SecretInAMessage);

        public bool TryGet(string client, [NotNullWhen(true)] out ITokenRefresher? refresher) => throw new InvalidOperationException(SecretInAMessage);

        public Task<IReadOnlyList<RefreshOutcome>> RefreshAllAsync(RefreshTrigger trigger, bool force, CancellationToken cancellationToken, DateTimeOffset? requestedAt = null) =>
            throw new InvalidOperationException(SecretInAMessage);

        public Task<IReadOnlyList<TokenStatusReport>> GetAllStatusAsync(ClientUse use, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(SecretInAMessage);
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new NotSupportedException(SecretInAMessage);
    }
}
