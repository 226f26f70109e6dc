using WelkinTokenRefresher.ExampleTests.Infrastructure;
using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.ExampleTests;

/// <summary>
/// The README's consumer example in one language, run unchanged with the real Azure SDK against the sandbox (HTTPS vault
/// with the challenge handshake, managed identity endpoint, Welkin stand-in), counting the vault reads it makes.
/// The README's rules: one read shared by concurrent callers, none inside the cache window, at most one read per
/// minimum interval whatever the last read found (a token near expiry or expired, or a failure: 404, 403, 429, 503),
/// and on a 401 one re-read and one retry.
/// </summary>
public abstract class ConsumerExampleTests(ExampleLanguage language)
{
    private const int Callers = 20;

    private static readonly TimeSpan MinimumReadInterval = TimeSpan.FromSeconds(30);

    private static TimeProvider Clock => TimeProvider.System;

    [Fact]
    public async Task Twenty_concurrent_callers_on_a_cold_cache_share_one_read_and_no_call_in_the_cache_window_reads()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var token = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, token.Value, expiresOn: token.ExpiresAt);
        await using var example = await ExampleProcess.StartAsync(language, sandbox);

        Assert.All(await example.CallAsync(Callers, sandbox.PingUrl), status => Assert.Equal(200, status));
        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(200, Assert.Single(await example.CallAsync(1, sandbox.PingUrl)));
        }

        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);
        Assert.Equal(0, sandbox.Welkin.Counters.PingRejected);
    }

    [Fact]
    public async Task After_a_401_on_a_new_version_twenty_concurrent_callers_make_one_read_and_each_retries_once()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var old = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, old.Value, expiresOn: old.ExpiresAt);
        using var welkin = new ProbeEndpoint();
        await using var example = await ExampleProcess.StartAsync(language, sandbox);
        Assert.All(await example.CallAsync(Callers, welkin.Url), status => Assert.Equal(200, status));
        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);

        // Past the minimum read interval (a re-read inside it would be refused by design), the refresher writes a new
        // version and Welkin stops accepting the old token, which every caller still holds.
        await example.AdvanceClockAsync(MinimumReadInterval + TimeSpan.FromSeconds(1));
        var fresh = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, fresh.Value, expiresOn: fresh.ExpiresAt);
        welkin.Reject(old.Value);
        sandbox.KeyVault.ResetCounters();
        var before = welkin.Received.Count;

        Assert.All(await example.CallAsync(Callers, welkin.Url), status => Assert.Equal(200, status));
        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);
        var sent = welkin.Received.Skip(before).Select(h => h["Authorization"]).ToList();
        Assert.Equal(Callers, sent.Count(a => a == $"Bearer {old.Value}"));
        Assert.Equal(Callers, sent.Count(a => a == $"Bearer {fresh.Value}"));
        Assert.Equal(2 * Callers, sent.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public async Task A_newest_token_near_expiry_or_expired_is_read_at_most_once_per_minimum_interval(int minutesLeft)
    {
        // The refresher is failing: the vault's newest version has under 5 minutes left (or none). Every call finds the
        // cached token stale, and without a minimum interval every call would read the vault.
        await using var sandbox = await WelkinSandbox.StartAsync();
        var token = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, token.Value, expiresOn: Clock.GetUtcNow().AddMinutes(minutesLeft));
        await using var example = await ExampleProcess.StartAsync(language, sandbox);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(200, Assert.Single(await example.CallAsync(1, sandbox.PingUrl)));
        }

        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(403)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_failed_read_is_remembered_for_the_minimum_interval_thirty_calls_after_it_read_nothing(int status)
    {
        // The secret missing (404), the identity refused (403), the vault throttling (429) or unavailable (503): without
        // the rule, every call would read the vault, multiplied by every caller of every process.
        await using var sandbox = await WelkinSandbox.StartAsync();
        if (status != 404)
        {
            var token = await WelkinTokens.IssueAsync(sandbox);
            sandbox.KeyVault.Seed(sandbox.SecretName, token.Value, expiresOn: token.ExpiresAt);
            sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Status(status, KeyVaultOperation.GetSecret), 1000);
        }

        await using var example = await ExampleProcess.StartAsync(language, sandbox);

        var first = await example.FailAsync(1, sandbox.PingUrl);
        var requestsOfTheRead = sandbox.KeyVault.Counters.Reads;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(first, await example.FailAsync(1, sandbox.PingUrl));
        }

        Assert.Equal(first, await example.FailAsync(Callers, sandbox.PingUrl));
        // One read, whose requests are the SDK's own tries (at most 3: two retries of a 429 or 503).
        Assert.InRange(requestsOfTheRead, 1, 3);
        Assert.Equal(requestsOfTheRead, sandbox.KeyVault.Counters.Reads);
        Assert.Equal(0, sandbox.Welkin.Counters.PingAccepted + sandbox.Welkin.Counters.PingRejected);
    }

    [Fact]
    public async Task After_a_failed_read_the_first_call_past_the_minimum_interval_reads_again_and_gets_the_token()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        await using var example = await ExampleProcess.StartAsync(language, sandbox);
        await example.FailAsync(1, sandbox.PingUrl);
        var token = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, token.Value, expiresOn: token.ExpiresAt);
        await example.FailAsync(1, sandbox.PingUrl);
        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);

        await Task.Delay(MinimumReadInterval + TimeSpan.FromSeconds(1), Clock);

        Assert.Equal(200, Assert.Single(await example.CallAsync(1, sandbox.PingUrl)));
        Assert.Equal(2, sandbox.KeyVault.Counters.Reads);
    }

    [Fact]
    public async Task A_token_inside_the_refresh_window_is_read_again_after_the_minimum_interval()
    {
        // The refresher writes a new version while the example holds one with 4 minutes left (inside its 5-minute refresh
        // window): within the minimum interval the example keeps it, after it the example reads the vault again and sends
        // the new one, though the old one is still valid and Welkin still accepts it.
        await using var sandbox = await WelkinSandbox.StartAsync();
        var old = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, old.Value, expiresOn: Clock.GetUtcNow().AddMinutes(4));
        using var welkin = new ProbeEndpoint();
        await using var example = await ExampleProcess.StartAsync(language, sandbox);
        Assert.Equal(200, Assert.Single(await example.CallAsync(1, welkin.Url)));
        var fresh = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, fresh.Value, expiresOn: fresh.ExpiresAt);

        Assert.Equal(200, Assert.Single(await example.CallAsync(1, welkin.Url)));
        Assert.Equal(1, sandbox.KeyVault.Counters.Reads);
        await example.AdvanceClockAsync(MinimumReadInterval + TimeSpan.FromSeconds(1));
        Assert.Equal(200, Assert.Single(await example.CallAsync(1, welkin.Url)));

        Assert.Equal(2, sandbox.KeyVault.Counters.Reads);
        Assert.Equal([$"Bearer {old.Value}", $"Bearer {old.Value}", $"Bearer {fresh.Value}"], welkin.Received.Select(h => h["Authorization"]));
    }

    [Fact]
    public async Task Caller_headers_are_sent_beside_the_bearer_token()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        var token = await WelkinTokens.IssueAsync(sandbox);
        sandbox.KeyVault.Seed(sandbox.SecretName, token.Value, expiresOn: token.ExpiresAt);
        using var welkin = new ProbeEndpoint();
        await using var example = await ExampleProcess.StartAsync(language, sandbox);

        Assert.Equal(200, Assert.Single(await example.CallWithHeaderAsync(welkin.Url)));

        var headers = Assert.Single(welkin.Received);
        Assert.Equal(language.Name, headers["X-Probe"]);
        Assert.Equal($"Bearer {token.Value}", headers["Authorization"]);
    }
}

public sealed class PythonExampleTests() : ConsumerExampleTests(ExampleLanguage.Python);

public sealed class JavaScriptExampleTests() : ConsumerExampleTests(ExampleLanguage.JavaScript);
