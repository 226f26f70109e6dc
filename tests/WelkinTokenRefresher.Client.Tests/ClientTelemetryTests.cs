using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Moq;
using WelkinTokenRefresher.Client.Telemetry;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// The meter and the activity source named <c>WelkinTokenRefresher.Client</c>: vault reads by outcome and source, the
/// remaining lifetime of each source's token, one span per read.
/// </summary>
public sealed class ClientTelemetryTests
{
    [Theory]
    [InlineData(404, "SecretNotFound", "secret_not_found")]
    [InlineData(403, "ForbiddenByRbac", "forbidden")]
    [InlineData(403, "SecretDisabled", "disabled")]
    [InlineData(401, "Unauthorized", "authentication_failed")]
    [InlineData(429, "Throttled", "throttled")]
    [InlineData(503, "ServiceUnavailable", "vault_unavailable")]
    public async Task A_failed_read_counts_once_with_its_reason_in_snake_case_and_the_calls_answered_from_memory_count_nothing(
        int status, string code, string outcome)
    {
        using var fixture = new TokenSourceFixture(name: "live");
        fixture.Vault.Fails(status, code);

        for (int call = 0; call < 20; call++)
        {
            await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        }

        var read = Assert.Single(fixture.VaultReads.GetMeasurementSnapshot());
        Assert.Equal(1, read.Value);
        Assert.Equal(new Dictionary<string, object?> { ["outcome"] = outcome, ["source"] = "live" }, read.Tags);
    }

    [Theory]
    [InlineData("expired", "expired")]
    [InlineData("no-expiry", "invalid_secret")]
    [InlineData("ok", "ok")]
    public async Task A_read_that_got_an_answer_counts_with_what_it_found(string held, string outcome)
    {
        using var fixture = new TokenSourceFixture();
        DateTimeOffset now = fixture.Time.GetUtcNow();
        fixture.Vault.Holds("v1", held == "expired" ? now.AddSeconds(-1) : now.AddHours(1), withExpiry: held != "no-expiry");

        try
        {
            await fixture.Source.GetTokenAsync();
        }
        catch (WelkinTokenUnavailableException)
        {
        }

        var read = Assert.Single(fixture.VaultReads.GetMeasurementSnapshot());
        Assert.Equal(new Dictionary<string, object?> { ["outcome"] = outcome, ["source"] = "default" }, read.Tags);
    }

    [Fact]
    public async Task Remaining_lifetime_is_the_seconds_until_the_served_token_expires_and_nothing_before_a_token_was_read()
    {
        using var fixture = new TokenSourceFixture(name: "staging");
        fixture.RemainingLifetime.RecordObservableInstruments();
        Assert.Empty(fixture.RemainingLifetime.GetMeasurementSnapshot());

        await fixture.WarmAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(20));
        fixture.RemainingLifetime.RecordObservableInstruments();

        var observed = Assert.Single(fixture.RemainingLifetime.GetMeasurementSnapshot());
        Assert.Equal(40 * 60, observed.Value);
        Assert.Equal(("s", "Seconds until the Welkin token each source serves expires."), (fixture.RemainingLifetime.Instrument!.Unit, fixture.RemainingLifetime.Instrument.Description));
        Assert.Equal(("{read}", "Key Vault reads of the Welkin token (a read the SDK retries counts once), by outcome."), (fixture.VaultReads.Instrument!.Unit, fixture.VaultReads.Instrument.Description));
        Assert.Equal(new Dictionary<string, object?> { ["source"] = "staging" }, observed.Tags);
    }

    [Fact]
    public async Task Each_read_is_one_span_with_its_source_and_outcome_under_the_callers_trace()
    {
        using var fixture = new TokenSourceFixture(name: "live");
        var spans = new List<Activity>();
        using var caller = new ActivitySource("WelkinTokenRefresher.Client.Tests.Caller");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is WelkinTokenClientTelemetry.ActivitySourceName or "WelkinTokenRefresher.Client.Tests.Caller",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        ActivityTraceId trace;
        using (Activity request = caller.StartActivity("request")!)
        {
            trace = request.TraceId;
            fixture.Vault.Fails(503, "ServiceUnavailable");
            await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
            await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
            fixture.Time.Advance(TimeSpan.FromSeconds(30));
            fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddHours(1));
            await fixture.Source.GetTokenAsync();
        }

        List<Activity> reads;
        lock (spans)
        {
            reads = [.. spans.Where(span => span.TraceId == trace && span.Source.Name == WelkinTokenClientTelemetry.ActivitySourceName)];
        }

        Assert.Equal(["welkin.token.client.vault_read", "welkin.token.client.vault_read"], reads.Select(span => span.OperationName));
        Assert.Equal([("vault_unavailable", ActivityStatusCode.Error), ("ok", ActivityStatusCode.Unset)], reads.Select(span => ((string)span.GetTagItem("outcome")!, span.Status)));
        Assert.All(reads, span => Assert.Equal("live", span.GetTagItem("source")));
    }

    [Fact]
    public async Task Through_the_container_named_and_unnamed_sources_report_on_its_meter_factory()
    {
        using var liveVault = new VaultStubHandler(FakeVault.TokenValue("live"), "v-live", TimeProvider.System.GetUtcNow().AddHours(1));
        using var defaultVault = new VaultStubHandler(FakeVault.TokenValue("default"), "v-default", TimeProvider.System.GetUtcNow().AddHours(1));
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(time);
        services.AddWelkinTokenSource("live", options => Through(options, liveVault));
        services.AddWelkinTokenSource(options => Through(options, defaultVault));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var meters = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var reads = new MetricCollector<long>(meters, WelkinTokenClientTelemetry.MeterName, ClientMetrics.VaultReads);
        using var lifetime = new MetricCollector<double>(meters, WelkinTokenClientTelemetry.MeterName, ClientMetrics.RemainingLifetime);

        await provider.GetRequiredKeyedService<IWelkinTokenSource>("live").GetTokenAsync();
        await provider.GetRequiredService<IWelkinTokenSource>().GetTokenAsync();
        lifetime.RecordObservableInstruments();

        Assert.Equal(
            ["live:ok", "default:ok"],
            reads.GetMeasurementSnapshot().Select(m => $"{m.Tags["source"]}:{m.Tags["outcome"]}"));
        Assert.Equal(["default", "live"], lifetime.GetMeasurementSnapshot().Select(m => (string)m.Tags["source"]!).Order());
    }

    private static void Through(WelkinTokenSourceOptions options, VaultStubHandler vault)
    {
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("key-vault-access-token", TimeProvider.System.GetUtcNow().AddHours(1)));
        options.VaultUri = new Uri("https://test-vault.vault.azure.net/");
        options.Credential = credential.Object;
        options.ConfigureSecretClient = client =>
        {
            client.DisableChallengeResourceVerification = true;
            client.Transport = new HttpClientTransport(new HttpClient(vault));
        };
    }
}
