using System.Net;
using System.Net.Http.Json;
using Azure.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WelkinTokenRefresher.Client;
using WelkinTokenRefresher.EndToEndTests.Infrastructure;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.TestSupport.Time;

namespace WelkinTokenRefresher.EndToEndTests;

/// <summary>
/// A consuming workload (the Client library: token source over a real SecretClient, bearer handler on a real HttpClient)
/// calls the sandbox's protected endpoint while the Functions app rotates the token in the vault.
/// </summary>
[Collection(InProcessTests.Name)]
public sealed class ConsumerRotationTests
{
    /// <summary>Sits inside the bearer handler and records the Authorization header each attempt carried.</summary>
    private sealed class AuthorizationRecorder : DelegatingHandler
    {
        public List<string> Sent { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add(request.Headers.Authorization?.Parameter ?? "");
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class Consumer : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        public Consumer(InProcessSandbox environment)
        {
            var sandbox = environment.Sandbox;
            VaultReads = new VaultReadGate(sandbox.CreateTrustingHandler());
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
            services.AddSingleton<TimeProvider>(environment.Time);
            services.AddWelkinTokenSource(options =>
            {
                options.VaultUri = sandbox.VaultUri;
                options.SecretName = sandbox.SecretName;
                options.ConfigureSecretClient = client =>
                {
                    client.DisableChallengeResourceVerification = true;
                    client.Transport = new HttpClientTransport(VaultReads);
                };
            });
            services.AddHttpClient("welkin", client => client.BaseAddress = sandbox.WelkinBaseUrl)
                .AddWelkinBearerToken()
                .AddHttpMessageHandler(() => Recorder);
            _services = services.BuildServiceProvider();
        }

        /// <summary>The consumer's vault reads, which a test can hold to see when one starts.</summary>
        public VaultReadGate VaultReads { get; }

        public IWelkinTokenSource TokenSource => _services.GetRequiredService<IWelkinTokenSource>();

        public AuthorizationRecorder Recorder { get; } = new();

        public FakeLogCollector Logs => _services.GetFakeLogCollector();

        public async Task<(HttpStatusCode Status, string Body)> PingAsync(WelkinSandbox sandbox)
        {
            using var response = await _services.GetRequiredService<IHttpClientFactory>().CreateClient("welkin").GetAsync(sandbox.PingUrl.AbsolutePath);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }

    [Fact]
    public async Task The_consumer_follows_hourly_rotations_and_every_call_is_accepted_by_Welkin()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        await using var consumer = new Consumer(environment);
        var timer = app.Create<RefreshOnSchedule>();
        var used = new List<string>();

        for (var hour = 0; hour < 4; hour++)
        {
            // Past the token's hour: the refresher's tick finds it expired, and the consumer's cache is empty of valid tokens.
            environment.Time.Advance(hour == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(61));
            await timer.Run(new TimerInfo(), CancellationToken.None);

            var (status, _) = await consumer.PingAsync(sandbox);

            Assert.Equal(HttpStatusCode.OK, status);
            used.Add(consumer.Recorder.Sent[^1]);
            Assert.Equal(sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Value, used[^1]);
        }

        Assert.Equal(4, used.Distinct().Count());
        Assert.Equal(4, sandbox.KeyVault.GetVersions(sandbox.SecretName).Count);
        Assert.Equal((4L, 0L), (sandbox.Welkin.Counters.PingAccepted, sandbox.Welkin.Counters.PingRejected));
        // One read per tick and one per rotation in the consumer: it does not read the vault per call.
        Assert.Equal(4 + 4, sandbox.KeyVault.Counters[KeyVaultOperation.GetSecret]);
    }

    [Fact]
    public async Task Within_the_cache_window_calls_reuse_the_token_and_a_forced_refresh_reaches_the_consumer_before_the_old_expires()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        await using var app = new FunctionsApp(environment);
        await using var consumer = new Consumer(environment);
        var onDemand = app.Create<RefreshOnDemand>();
        await onDemand.Run(FunctionsApp.Request("POST"), CancellationToken.None);
        var first = sandbox.KeyVault.GetLatest(sandbox.SecretName)!;

        for (var call = 0; call < 5; call++)
        {
            Assert.Equal(HttpStatusCode.OK, (await consumer.PingAsync(sandbox)).Status);
        }

        var readsAfterWarmUp = sandbox.KeyVault.Counters[KeyVaultOperation.GetSecret];
        environment.Time.Advance(TimeSpan.FromMinutes(30));
        await onDemand.Run(FunctionsApp.Request("POST", "?force=true"), CancellationToken.None);
        var second = sandbox.KeyVault.GetLatest(sandbox.SecretName)!;
        Assert.NotEqual(first.Version, second.Version);

        // Until the consumer's refresh window (5 minutes before expiry) the cached token is still used, and still valid.
        environment.Time.Advance(TimeSpan.FromMinutes(24));
        Assert.Equal(HttpStatusCode.OK, (await consumer.PingAsync(sandbox)).Status);
        Assert.Equal(first.Value, consumer.Recorder.Sent[^1]);
        Assert.Equal(readsAfterWarmUp + 1, sandbox.KeyVault.Counters[KeyVaultOperation.GetSecret]);

        // Inside the window the token source reads again in the background, serving the still-valid token meanwhile: the
        // call that finds the token in the window answers with the old one while its read is held at the vault's door.
        environment.Time.Advance(TimeSpan.FromMinutes(2));
        var readStarted = consumer.VaultReads.HoldNextRead();
        Assert.Equal(HttpStatusCode.OK, (await consumer.PingAsync(sandbox)).Status);
        Assert.Equal(first.Value, consumer.Recorder.Sent[^1]);
        await readStarted.WithinAsync(TimeSpan.FromSeconds(30), "The background read the call inside the refresh window started");
        consumer.VaultReads.Release();
        // Joins the read in flight (the vault was last read 26 minutes ago, so it does not start another).
        var published = await consumer.TokenSource.RefreshAsync(first.Version).AsTask().WithinAsync(TimeSpan.FromSeconds(30), "The background read's token");
        Assert.Equal(second.Version, published.Version);

        Assert.Equal(HttpStatusCode.OK, (await consumer.PingAsync(sandbox)).Status);
        Assert.Equal(second.Value, consumer.Recorder.Sent[^1]);
        Assert.Equal(readsAfterWarmUp + 2, sandbox.KeyVault.Counters[KeyVaultOperation.GetSecret]);
        Assert.Equal(0, sandbox.Welkin.Counters.PingRejected);
    }

    [Fact]
    public async Task A_401_for_a_revoked_token_recovers_once_the_vault_holds_a_new_version()
    {
        await using var environment = await InProcessSandbox.StartAsync();
        var sandbox = environment.Sandbox;
        // A token Welkin no longer accepts: signed with another key, as after Welkin revokes or rotates its signing key.
        await using var other = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = environment.Time });
        var revoked = await IssueTokenAsync(other);
        var now = environment.Time.GetUtcNow();
        Vault.SeedToken(sandbox, sandbox.SecretName, now, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(50), revoked);
        await using var app = new FunctionsApp(environment);
        await using var consumer = new Consumer(environment);

        // The vault holds nothing newer: one re-read finds the same version, so the 401 reaches the caller, once.
        var rejected = await consumer.PingAsync(sandbox);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.Status);
        Assert.Contains("NOT_VALID_JSON_WEB_TOKEN", rejected.Body, StringComparison.Ordinal);

        // The operator forces a refresh; past the consumer's minimum read interval the next 401 re-reads and retries.
        var forced = await app.Create<RefreshOnDemand>().Run(FunctionsApp.Request("POST", "?force=true"), CancellationToken.None);
        Assert.Equal(200, ((Microsoft.AspNetCore.Mvc.ContentResult)forced).StatusCode);
        environment.Time.Advance(TimeSpan.FromSeconds(31));
        var recovered = await consumer.PingAsync(sandbox);

        Assert.Equal(HttpStatusCode.OK, recovered.Status);
        var fresh = sandbox.KeyVault.GetLatest(sandbox.SecretName)!.Value;
        Assert.Equal([revoked, revoked, fresh], consumer.Recorder.Sent);
        Assert.Equal((1L, 2L), (sandbox.Welkin.Counters.PingAccepted, sandbox.Welkin.Counters.PingRejected));

        var subsequent = await consumer.PingAsync(sandbox);
        Assert.Equal(HttpStatusCode.OK, subsequent.Status);
        Assert.Equal(fresh, consumer.Recorder.Sent[^1]);
        Secrets.AssertNoneIn(string.Join('\n', consumer.Logs.GetSnapshot().Select(r => r.Message + r.Exception)), sandbox, revoked);
        Secrets.AssertNoneIn(string.Join('\n', app.Logs.GetSnapshot().Select(r => r.Message + r.Exception)), sandbox, revoked);
    }

    private sealed record TokenAnswer(string Token, string ExpiresAt);

    private static async Task<string> IssueTokenAsync(WelkinSandbox welkin)
    {
        using var http = new HttpClient { BaseAddress = welkin.WelkinBaseUrl };
        using var response = await http.PostAsJsonAsync(welkin.TokenPath, new { secret = welkin.Secret, apiClient = welkin.ApiClient });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenAnswer>())!.Token;
    }
}
