using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Moq;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Telemetry;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Refresh;

/// <summary>
/// One client's failure never hides, delays or changes another's outcome: an error nobody classified in its vault or its
/// Welkin client, a defect anywhere in its refresh, or an invalid configuration is that client's outcome, never an
/// exception that drops the others'.
/// </summary>
public sealed class ClientIsolationTests : IDisposable
{
    private readonly MultiClientHarness _harness;

    public ClientIsolationTests() => _harness = new(["live", "staging"]);

    public void Dispose() => _harness.Dispose();

    private InMemorySecretClient FailingVault(Exception failure) => new(_harness.Time, new Uri(TestSettings.VaultUri)) { ReadFailure = failure };

    [Fact]
    public async Task A_vault_error_nobody_classified_is_that_clients_vault_failure_named_by_type_and_the_others_refresh()
    {
        _harness.EveryWelkinIssues();
        _harness.OwnVaults["live"] = FailingVault(new InvalidOperationException("The challenge resource 'https://other.example' does not match."));
        _harness.OwnVaults["staging"] = FailingVault(new NotSupportedException("s3cr3t"));

        var outcomes = await _harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        var statuses = await _harness.Registry.GetAllStatusAsync(ClientUse.Refresh, CancellationToken.None);

        Assert.Equal(
            [("default", RefreshStatus.Succeeded, (string?)null), ("live", RefreshStatus.VaultFailed, "vault-rejected"), ("staging", RefreshStatus.VaultFailed, "vault-error")],
            outcomes.Select(o => (o.Client, o.Status, o.FailureCategory)));
        Assert.Contains("System.NotSupportedException", outcomes[2].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", outcomes[2].Message, StringComparison.Ordinal);
        Assert.Equal([("default", "ok"), ("live", "vault-failed"), ("staging", "vault-failed")], statuses.Select(s => (s.Client, s.Reason)));
        Assert.Equal(0, _harness.Welkin["live"].Attempts + _harness.Welkin["staging"].Attempts);
    }

    [Fact]
    public async Task A_welkin_error_nobody_classified_is_that_clients_welkin_failure_named_by_type()
    {
        _harness.EveryWelkinIssues();
        _harness.Welkin["live"].Respond = _ => throw new NotSupportedException("s3cr3t");

        var outcomes = await _harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        var live = outcomes[1];
        Assert.Equal((RefreshStatus.WelkinFailed, "welkin-error"), (live.Status, live.FailureCategory));
        Assert.StartsWith("The token request to Welkin at welkin.example failed with System.NotSupportedException", live.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", live.Message, StringComparison.Ordinal);
        Assert.Equal([true, false, true], outcomes.Select(o => o.Refreshed));
    }

    [Fact]
    public async Task A_defect_in_one_clients_refresh_is_its_internal_error_and_the_others_refresh()
    {
        using var harness = new MultiClientHarness(["live"], services: services =>
        {
            var store = new Mock<IRefreshLeaseStore>();
            store.Setup(s => s.TryAcquireAsync("welkin-api-token-live", It.IsAny<CancellationToken>())).ThrowsAsync(new ArithmeticException("s3cr3t"));
            store.Setup(s => s.TryAcquireAsync("welkin-api-token", It.IsAny<CancellationToken>())).ReturnsAsync(new LeaseAttempt(LeaseAttemptResult.Unavailable, RefreshLockState.Empty, null));
            services.AddSingleton(store.Object);
        });
        harness.EveryWelkinIssues();
        using var metrics = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.refreshes");

        var outcomes = await harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal((RefreshStatus.Succeeded, true), (outcomes[0].Status, outcomes[0].Refreshed));
        Assert.Equal((RefreshStatus.InternalError, "internal-error", "internal-error"), (outcomes[1].Status, outcomes[1].Reason, outcomes[1].FailureCategory));
        Assert.Equal(
            "The refresh of client 'live' failed with an unexpected System.ArithmeticException; nothing was written. This is not an error this app recognises: please report it with this message.",
            outcomes[1].Message);
        Assert.Contains(metrics.GetMeasurementSnapshot(), m => (string?)m.Tags["client"] == "live" && (string?)m.Tags["outcome"] == "internal-error");
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Id == 2005 && r.Message.Contains("client live", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.GetSnapshot(), r => r.Message.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_client_fails_each_refresh_as_configuration_invalid_counted_and_logged_and_sends_nothing()
    {
        using var harness = new MultiClientHarness(["live", "staging"], settings => settings.Remove("Welkin:Clients:staging:Secret"));
        harness.EveryWelkinIssues();
        using var metrics = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), RefreshMetrics.MeterName, "welkin.token.refreshes");

        var outcomes = await harness.Registry.RefreshAllAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.Equal([RefreshStatus.Succeeded, RefreshStatus.Succeeded, RefreshStatus.ConfigurationInvalid], outcomes.Select(o => o.Status));
        var staging = outcomes[2];
        Assert.Equal(("configuration-invalid", "configuration-invalid", "welkin-api-token-staging"), (staging.Reason, staging.FailureCategory, staging.SecretName));
        Assert.Equal(
            "The configuration of client 'staging' is not valid, so its token is not refreshed: Welkin:Clients:staging:Secret is required: set it to the API client secret from Welkin Admin > API Clients (in Azure, a Key Vault reference) (environment variable Welkin__Clients__staging__Secret).",
            staging.Message);
        Assert.Equal(0, harness.Welkin["staging"].Attempts);
        Assert.All(harness.Welkin.Values.SelectMany(w => w.Requests), r => Assert.DoesNotContain("secret-staging", r.Body, StringComparison.Ordinal));
        Assert.Contains(metrics.GetMeasurementSnapshot(), m => (string?)m.Tags["client"] == "staging" && (string?)m.Tags["outcome"] == "configuration-invalid");
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Id == 2004 && r.Message.Contains("Welkin:Clients:staging:Secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_clients_status_reads_its_token_yet_is_unhealthy_for_the_refresher_and_healthy_for_a_vault_reader()
    {
        using var harness = new MultiClientHarness(["staging"], settings => settings.Remove("Welkin:Clients:staging:Secret"));
        harness.Vault.Seed("staging-token", harness.Time.GetUtcNow(), harness.Time.GetUtcNow().AddHours(1), name: "welkin-api-token-staging");

        var asRefresher = await harness.Refresher("staging").GetStatusAsync(ClientUse.Refresh, CancellationToken.None);
        var asReader = await harness.Refresher("staging").GetStatusAsync(ClientUse.ReadVault, CancellationToken.None);

        Assert.Equal((false, "configuration-invalid", "configuration-invalid", 3600), (asRefresher.Healthy, asRefresher.Reason, asRefresher.Category, asRefresher.RemainingSeconds));
        Assert.NotNull(asRefresher.Version);
        Assert.Contains("Welkin:Clients:staging:Secret is required", asRefresher.Message, StringComparison.Ordinal);
        Assert.Equal((true, "ok", (string?)null), (asReader.Healthy, asReader.Reason, asReader.Category));
        Assert.Equal(asRefresher.Version, asReader.Version);
    }

    [Fact]
    public async Task A_client_whose_vault_settings_are_invalid_reports_them_without_reading_any_vault()
    {
        using var harness = new MultiClientHarness(["staging"], settings => settings["Welkin:Clients:staging:VaultUri"] = "http://plain.example/");

        var status = await harness.Refresher("staging").GetStatusAsync(ClientUse.ReadVault, CancellationToken.None);
        var outcome = await harness.Refresher("staging").RefreshAsync(RefreshTrigger.CommandLine, false, CancellationToken.None);

        Assert.Equal((false, "configuration-invalid"), (status.Healthy, status.Category));
        Assert.StartsWith("The configuration of client 'staging' is not valid, so its token is not refreshed: Welkin:Clients:staging:VaultUri must be an absolute https:// URL", status.Message, StringComparison.Ordinal);
        Assert.Equal(RefreshStatus.ConfigurationInvalid, outcome.Status);
        Assert.Equal(0, harness.Vault.Reads);
    }

    [Fact]
    public void Each_client_reads_the_vault_its_own_VaultUri_names()
    {
        using var harness = new MultiClientHarness(["staging"], settings => settings["Welkin:Clients:staging:VaultUri"] = "https://staging-tokens.vault.azure.net/");

        Assert.Equal(new Uri("https://staging-tokens.vault.azure.net/"),
            harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<TokenVaultOptions>>().Get("staging").VaultUri);
        Assert.Equal(new Uri(TestSettings.VaultUri),
            harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<TokenVaultOptions>>().Get("default").VaultUri);
        Assert.Equal("Welkin:Clients:staging:VaultUri", harness.Services.GetRequiredService<ConfiguredClients>()["staging"].Keys.VaultUri);
    }
}
