using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.ReliabilityTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.ReliabilityTests;

/// <summary>The lock may save a Welkin call; it must never cost a refresh.</summary>
public sealed class LockFallbackTests : IAsyncLifetime
{
    private readonly WelkinRequestLog _requests = new();
    private WelkinSandbox _sandbox = null!;
    private InMemorySecretClient _vault = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await WelkinSandbox.StartAsync();
        _vault = TestVault.WithDueToken(TimeProvider.System);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Unreachable_storage_falls_back_to_the_in_process_single_flight_with_a_warning()
    {
        var closedPort = ClosedPort();
        using var app = new AppInstance(_sandbox, _vault, TimeProvider.System, _requests,
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LXN0b3JhZ2Uta2V5;BlobEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            app.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None)));

        Assert.All(outcomes, o => Assert.Equal(RefreshStatus.Succeeded, o.Status));
        Assert.Equal(1, _requests.Count);
        Assert.Equal(1, _vault.Writes);
        var warning = Assert.Single(app.Logs.GetSnapshot(), r => r.Id.Id == 1101);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        SecretScanner.AssertClean([_sandbox.Secret, "c2VjcmV0LXN0b3JhZ2Uta2V5", .. _vault.Values], app.Logs);
    }

    [Fact]
    public async Task Without_storage_there_is_no_lock_and_one_information_line_not_a_warning_per_refresh()
    {
        using var app = new AppInstance(_sandbox, _vault, TimeProvider.System, _requests);

        var first = await app.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        Assert.Single(app.Logs.GetSnapshot(), r => r.Id.Id == 1100);
        _vault.Seed("eyJhbGciOiJSUzI1NiJ9.another-due-token.c2ln", TimeProvider.System.GetUtcNow().AddMinutes(-55), TimeProvider.System.GetUtcNow().AddMinutes(5));
        var second = await app.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);

        Assert.True(first.Refreshed && second.Refreshed);
        Assert.Single(app.Logs.GetSnapshot(), r => r.Id.Id == 1100);
        Assert.DoesNotContain(app.Logs.GetSnapshot(), r => r.Id.Id is > 1100 and < 1120);
        Assert.Equal((2, 2, 2), (_vault.Reads, _requests.Count, _vault.Writes));
    }

    [Fact]
    public void Lock_state_survives_a_metadata_round_trip_and_garbled_metadata_reads_as_nothing_known()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_000);
        var state = new RefreshLockState("abc123", 7, RefreshStatus.WelkinFailed, "welkin-unavailable", [now.AddMinutes(-1), now], now.AddMinutes(5));

        var read = RefreshLockState.FromMetadata(state.ToMetadata());
        var garbled = RefreshLockState.FromMetadata(new Dictionary<string, string> { ["attempts"] = "x", ["requests"] = "1 two", ["laststatus"] = "Exploded" });

        Assert.Equal(state with { Requests = [] }, read with { Requests = [] });
        Assert.Equal(state.Requests, read.Requests);
        Assert.Equal((0L, (RefreshStatus?)null, 1), (garbled.Attempts, garbled.LastStatus, garbled.Requests.Count));
    }

    [Fact]
    public void Identity_based_storage_settings_are_read_as_the_Functions_host_reads_them()
    {
        var byUri = HostStorageSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://stwelkin.blob.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }).Build());
        var byAccount = HostStorageSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:accountName"] = "stwelkin",
        }).Build());

        Assert.True(byUri.IsConfigured);
        Assert.Equal(new Uri("https://stwelkin.blob.core.windows.net"), byUri.BlobServiceUri);
        Assert.Equal(("managedidentity", "00000000-0000-0000-0000-000000000001"), (byUri.Credential, byUri.ClientId));
        Assert.Equal(new Uri("https://stwelkin.blob.core.windows.net"), byAccount.BlobServiceUri);
        Assert.Equal("stwelkin", byUri.CreateClient().AccountName);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
