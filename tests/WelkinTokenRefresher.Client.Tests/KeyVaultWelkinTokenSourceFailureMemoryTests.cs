using System.Globalization;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// One read per <see cref="WelkinTokenSourceOptions.MinimumReadInterval"/>, whatever the vault answers: a failed read is
/// remembered, repeated throttling or unavailability backs off, a longer Retry-After is honoured, one log line per read.
/// </summary>
public sealed class KeyVaultWelkinTokenSourceFailureMemoryTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Each way the vault can fail a read, as the fixture's vault makes it fail.</summary>
    public static TheoryData<string> Failures => new()
    {
        "expired", "disabled", "not-found", "forbidden", "disabled-refusal", "unauthorized", "credential", "throttled",
        "unavailable", "no-response", "no-expiry", "unexpected",
    };

    private static WelkinTokenUnavailableReason MakeFail(TokenSourceFixture fixture, string failure)
    {
        DateTimeOffset now = fixture.Time.GetUtcNow();
        switch (failure)
        {
            case "expired":
                fixture.Vault.Holds("v1", now.AddMinutes(-1));
                return WelkinTokenUnavailableReason.Expired;
            case "disabled":
                fixture.Vault.Holds("v1", now.AddHours(1), enabled: false);
                return WelkinTokenUnavailableReason.Disabled;
            case "no-expiry":
                fixture.Vault.Holds("v1", now.AddHours(1), withExpiry: false);
                return WelkinTokenUnavailableReason.InvalidSecret;
            case "credential":
                fixture.Vault.Throws(new CredentialUnavailableException("No managed identity endpoint found."));
                return WelkinTokenUnavailableReason.AuthenticationFailed;
            case "unexpected":
                fixture.Vault.Throws(new InvalidOperationException("The pipeline was disposed."));
                return WelkinTokenUnavailableReason.VaultUnavailable;
            default:
                (int status, string? code, WelkinTokenUnavailableReason reason) = failure switch
                {
                    "not-found" => (404, "SecretNotFound", WelkinTokenUnavailableReason.SecretNotFound),
                    "forbidden" => (403, "ForbiddenByRbac", WelkinTokenUnavailableReason.Forbidden),
                    "disabled-refusal" => (403, "SecretDisabled", WelkinTokenUnavailableReason.Disabled),
                    "unauthorized" => (401, "Unauthorized", WelkinTokenUnavailableReason.AuthenticationFailed),
                    "throttled" => (429, "Throttled", WelkinTokenUnavailableReason.Throttled),
                    "unavailable" => (503, "ServiceUnavailable", WelkinTokenUnavailableReason.VaultUnavailable),
                    _ => (0, null, WelkinTokenUnavailableReason.VaultUnavailable),
                };
                fixture.Vault.Fails(status, code);
                return reason;
        }
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failed_read_is_remembered_until_the_interval_has_passed_since_it_began_each_caller_getting_its_own_exception(string failure)
    {
        var fixture = new TokenSourceFixture();
        WelkinTokenUnavailableReason reason = MakeFail(fixture, failure);

        var original = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        Assert.Equal(reason, original.Reason);

        fixture.Time.Advance(Interval - TimeSpan.FromTicks(1));
        var first = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        var second = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.RefreshAsync("v0").AsTask());

        Assert.Equal(1, fixture.Vault.Reads);
        Assert.All(new[] { first, second }, remembered =>
        {
            Assert.NotSame(original, remembered);
            Assert.Same(original, remembered.InnerException);
            Assert.Equal((original.Reason, original.Message), (remembered.Reason, remembered.Message));
        });
        Assert.NotSame(first, second);

        fixture.Time.Advance(TimeSpan.FromTicks(1));
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task A_failure_is_remembered_from_when_the_read_began_not_when_it_ended()
    {
        var fixture = new TokenSourceFixture(options => options.VaultReadTimeout = TimeSpan.FromSeconds(20));
        fixture.Vault.HoldsReadsOpen();
        Task<WelkinToken> waiting = fixture.Source.GetTokenAsync().AsTask();
        fixture.Time.Advance(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddHours(1));

        fixture.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("v1", (await fixture.Source.GetTokenAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Version);
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task A_thousand_calls_during_the_interval_make_no_read_and_no_log_line_one_line_per_read()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Fails(404, "SecretNotFound");

        for (int call = 0; call < 1000; call++)
        {
            await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
            fixture.Time.Advance(TimeSpan.FromMilliseconds(29));
        }

        Assert.Equal(1, fixture.Vault.Reads);
        var logged = Assert.Single(fixture.Logs.GetSnapshot());
        Assert.Equal((4, LogLevel.Error), (logged.Id.Id, logged.Level));
        Assert.Contains("callers get this failure until the next read in 00:00:30", logged.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, "Throttled")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task Repeated_throttling_or_unavailability_backs_off_from_ErrorBackoff_to_MaxErrorBackoff_never_below_the_interval(int status, string code)
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Fails(status, code);

        // Defaults: ErrorBackoff 5 s doubling (5, 10, 20, 40, 80 → 60), never below the 30 s interval.
        Assert.Equal([0, 30, 60, 90, 130, 190, 250], await ReadInstantsAsync(fixture, TimeSpan.FromSeconds(260)));
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("not-found")]
    [InlineData("forbidden")]
    [InlineData("disabled")]
    public async Task A_vault_that_answers_is_read_once_per_interval_without_backoff_so_a_repair_is_seen_within_the_interval(string failure)
    {
        var fixture = new TokenSourceFixture();
        MakeFail(fixture, failure);

        Assert.Equal([0, 30, 60, 90, 120, 150, 180, 210, 240], await ReadInstantsAsync(fixture, TimeSpan.FromSeconds(260)));
    }

    [Fact]
    public async Task A_vault_answer_after_unavailability_resets_the_backoff()
    {
        var fixture = new TokenSourceFixture(options => options.ErrorBackoff = TimeSpan.FromSeconds(40));
        fixture.Vault.Fails(503);
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        fixture.Vault.Fails(404);
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        fixture.Vault.Fails(503);

        // 30 s after the 404, a 503 counts as the first again: 40 s (ErrorBackoff), then 60 s (80 s capped); without the
        // reset the first would already wait 60 s.
        Assert.Equal([30, 70], await ReadInstantsAsync(fixture, TimeSpan.FromSeconds(120)));
    }

    [Theory]
    [InlineData("Retry-After", "90", 90)]
    [InlineData("retry-after-ms", "75000", 75)]
    [InlineData("x-ms-retry-after-ms", "45500", 45.5)]
    [InlineData("Retry-After", "10", 30)]
    public async Task A_Retry_After_longer_than_the_interval_is_honoured(string header, string value, double secondsToNextRead)
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Throws(HeaderResponse.Failure(429, (header, value)));
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        fixture.Time.Advance(TimeSpan.FromSeconds(secondsToNextRead) - TimeSpan.FromTicks(1));
        var remembered = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        Assert.Equal(WelkinTokenUnavailableReason.Throttled, remembered.Reason);
        Assert.Equal(1, fixture.Vault.Reads);
        fixture.Time.Advance(TimeSpan.FromTicks(1));
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task A_Retry_After_date_counts_from_the_answers_own_date()
    {
        var fixture = new TokenSourceFixture();
        DateTimeOffset answered = fixture.Time.GetUtcNow().AddSeconds(-100);
        fixture.Vault.Throws(HeaderResponse.Failure(
            503,
            ("Date", answered.ToString("r", CultureInfo.InvariantCulture)),
            ("Retry-After", answered.AddSeconds(120).ToString("r", CultureInfo.InvariantCulture))));
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        // 120 s from the answer's Date, not 20 s from now (that would be the 30 s interval).
        Assert.Equal([0, 120], await ReadInstantsAsync(fixture, TimeSpan.FromSeconds(130), alreadyRead: true));
    }

    [Fact]
    public async Task A_Retry_After_date_already_past_leaves_the_interval()
    {
        var fixture = new TokenSourceFixture();
        DateTimeOffset answered = fixture.Time.GetUtcNow();
        fixture.Vault.Throws(HeaderResponse.Failure(
            503,
            ("Date", answered.ToString("r", CultureInfo.InvariantCulture)),
            ("Retry-After", answered.AddSeconds(-90).ToString("r", CultureInfo.InvariantCulture))));
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal([0, 30], await ReadInstantsAsync(fixture, TimeSpan.FromSeconds(40), alreadyRead: true));
    }

    [Fact]
    public async Task A_token_that_expires_before_the_interval_is_over_is_reported_expired_from_memory_until_the_next_read()
    {
        var fixture = new TokenSourceFixture();
        fixture.Vault.Holds("v1", fixture.Time.GetUtcNow().AddSeconds(10));
        Assert.Equal("v1", (await fixture.Source.GetTokenAsync()).Version);

        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        var expired = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.Expired, expired.Reason);
        Assert.Contains("version v1 expired at", expired.Message, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Vault.Reads);
        fixture.Vault.Holds("v2", fixture.Time.GetUtcNow().AddHours(1));
        fixture.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("v2", (await fixture.Source.GetTokenAsync()).Version);
        Assert.Equal(2, fixture.Vault.Reads);
    }

    [Fact]
    public async Task Concurrent_callers_of_a_failing_read_share_it_and_the_callers_after_it_get_it_from_memory()
    {
        var fixture = new TokenSourceFixture();
        var gate = fixture.Vault.HoldsReadsOpen();
        fixture.Vault.Fails(503);
        Task<WelkinToken>[] during = [.. Enumerable.Range(0, 50).Select(_ => fixture.Source.GetTokenAsync().AsTask())];
        await FakeVault.ReleaseAsync(gate, FakeVault.Secret("unused", fixture.Time.GetUtcNow().AddHours(1)));
        Task<WelkinToken>[] after = [.. Enumerable.Range(0, 50).Select(_ => fixture.Source.GetTokenAsync().AsTask())];

        foreach (Task<WelkinToken> call in during.Concat(after))
        {
            var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(WelkinTokenUnavailableReason.VaultUnavailable, failure.Reason);
        }

        Assert.Equal(1, fixture.Vault.Reads);
        Assert.Single(fixture.Logs.GetSnapshot());
    }

    /// <summary>
    /// Calls the source every second (every tick around the instants that matter) for <paramref name="duration"/> and
    /// returns the seconds, from the start, at which a read began.
    /// </summary>
    private static async Task<List<double>> ReadInstantsAsync(TokenSourceFixture fixture, TimeSpan duration, bool alreadyRead = false)
    {
        DateTimeOffset start = fixture.Time.GetUtcNow();
        var instants = new List<double>();
        if (alreadyRead)
        {
            instants.Add(0);
        }

        int reads = fixture.Vault.Reads;
        for (TimeSpan elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMilliseconds(500))
        {
            fixture.Time.SetUtcNow(start + elapsed);
            try
            {
                await fixture.Source.GetTokenAsync();
            }
            catch (WelkinTokenUnavailableException)
            {
            }

            if (fixture.Vault.Reads != reads)
            {
                reads = fixture.Vault.Reads;
                instants.Add(elapsed.TotalSeconds);
            }
        }

        return instants;
    }
}
