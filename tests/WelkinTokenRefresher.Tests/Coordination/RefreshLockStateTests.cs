using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;

namespace WelkinTokenRefresher.Tests.Coordination;

/// <summary>
/// The state all lease holders share: what a holder's attempt adds to it, which requests still count against Welkin's
/// limit, and how it reads back from blob metadata that another holder, or a person, wrote.
/// </summary>
public sealed class RefreshLockStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly RefreshLockState Before = new("v-before", 4, RefreshStatus.Succeeded, null, [], null);

    private static RefreshOutcome Outcome(RefreshStatus status, bool refreshed, string? version = "v-new") =>
        new(status, refreshed, RefreshReasons.Forced, "welkin-api-token", version is null ? null : new StoredToken("welkin-api-token", version, Now, Now.AddHours(1)));

    [Fact]
    public void A_holders_requests_join_the_shared_ones_oldest_first_and_those_past_the_window_are_dropped()
    {
        var state = Before with { Requests = [Now.AddMinutes(-6), Now.AddMinutes(-5), Now.AddMinutes(-1)] };
        // This holder's clock runs a little behind the last holder's: its request sorts before theirs.
        var after = state.After(Outcome(RefreshStatus.Succeeded, true), [Now.AddMinutes(-2), Now], null, Now);

        Assert.Equal([Now.AddMinutes(-5), Now.AddMinutes(-2), Now.AddMinutes(-1), Now], after.Requests);
    }

    [Fact]
    public void Requests_counting_now_are_those_of_the_last_five_minutes_edge_included_oldest_first_whatever_order_was_stored()
    {
        var state = Before with { Requests = [Now.AddSeconds(-10), Now.AddMinutes(-5), Now.AddMinutes(-5).AddTicks(-1), Now.AddMinutes(-3)] };

        Assert.Equal([Now.AddMinutes(-5), Now.AddMinutes(-3), Now.AddSeconds(-10)], state.RequestsCountingAt(Now));
    }

    [Theory]
    [InlineData(RefreshStatus.Succeeded, true, "v-new", "v-new")]
    [InlineData(RefreshStatus.Succeeded, false, "v-new", "v-before")]
    [InlineData(RefreshStatus.WelkinFailed, true, "v-new", "v-before")]
    [InlineData(RefreshStatus.Succeeded, true, null, "v-before")]
    public void Only_a_token_this_holder_wrote_becomes_the_version_the_lock_names(RefreshStatus status, bool refreshed, string? written, string expected)
    {
        var after = Before.After(Outcome(status, refreshed, written), [], null, Now);

        Assert.Equal(expected, after.Version);
        Assert.Equal((5L, status), (after.Attempts, after.LastStatus));
    }

    [Fact]
    public void A_failed_attempt_records_its_category_and_a_succeeded_one_clears_it()
    {
        var failed = Before.After(Outcome(RefreshStatus.WelkinFailed, false) with { FailureCategory = "welkin-unavailable" }, [], null, Now);
        var succeeded = failed.After(Outcome(RefreshStatus.Succeeded, true), [], null, Now);

        Assert.Equal("welkin-unavailable", failed.LastCategory);
        Assert.Null(succeeded.LastCategory);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(10, null, 10)]
    [InlineData(null, 3, 3)]
    [InlineData(10, 3, 10)]
    [InlineData(3, 10, 10)]
    public void The_later_of_the_known_block_and_this_holders_block_is_kept(int? knownMinutes, int? seenMinutes, int? expectedMinutes)
    {
        var after = (Before with { BlockedUntil = At(knownMinutes) }).After(Outcome(RefreshStatus.Throttled, false), [], At(seenMinutes), Now);

        Assert.Equal(At(expectedMinutes), after.BlockedUntil);
    }

    [Fact]
    public void Unknown_values_leave_no_metadata_and_empty_values_read_back_as_unknown_in_any_key_case()
    {
        var metadata = RefreshLockState.Empty.ToMetadata();
        var read = RefreshLockState.FromMetadata(new Dictionary<string, string>
        {
            ["Version"] = "",
            ["LASTCATEGORY"] = "",
            ["Attempts"] = "12",
            ["BlockedUntil"] = "soon",
            ["Requests"] = "  ",
        });

        Assert.Equal(["attempts", "requests"], metadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("0", ""), (metadata["attempts"], metadata["requests"]));
        Assert.Equal(RefreshLockState.Empty with { Attempts = 12 }, read with { Requests = [] });
        Assert.Empty(read.Requests);
    }

    [Fact]
    public void A_block_and_requests_read_back_to_the_millisecond_from_the_keys_another_holder_wrote()
    {
        var read = RefreshLockState.FromMetadata(new Dictionary<string, string>
        {
            ["blockeduntil"] = "1780000300000 1780000900000",
            ["requests"] = "1780000000000 x 1780000001500",
        });

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_300_000), read.BlockedUntil);
        Assert.Equal([DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_000), DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_001_500)], read.Requests);
    }

    private static DateTimeOffset? At(int? minutes) => minutes is { } m ? Now.AddMinutes(m) : null;
}
