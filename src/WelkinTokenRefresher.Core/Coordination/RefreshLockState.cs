using System.Globalization;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// What the lease holders of all instances share, kept in the lock blob's metadata: the version the last holder wrote,
/// how many refreshes holders attempted and how the last one ended, and the token requests of the last five minutes
/// with any Welkin block, so the rate limit holds across instances and restarts.
/// </summary>
/// <param name="Version">The vault version the last holder wrote, if any.</param>
/// <param name="Attempts">How many refreshes lease holders have attempted; a waiter sees it grow when the holder it waited for finished.</param>
/// <param name="LastStatus">How the last attempt ended.</param>
/// <param name="LastCategory">The failure category of the last attempt, if it failed.</param>
/// <param name="Requests">When token requests were sent to Welkin, newest last; only the last five minutes are kept.</param>
/// <param name="BlockedUntil">Welkin answered 429: no token request until then.</param>
internal sealed record RefreshLockState(
    string? Version,
    long Attempts,
    RefreshStatus? LastStatus,
    string? LastCategory,
    IReadOnlyList<DateTimeOffset> Requests,
    DateTimeOffset? BlockedUntil)
{
    public static readonly RefreshLockState Empty = new(null, 0, null, null, [], null);

    // Metadata names must be C# identifiers; values ASCII. Times are Unix milliseconds.
    private const string VersionKey = "version";
    private const string AttemptsKey = "attempts";
    private const string LastStatusKey = "laststatus";
    private const string LastCategoryKey = "lastcategory";
    private const string RequestsKey = "requests";
    private const string BlockedUntilKey = "blockeduntil";

    /// <summary>The token requests that still count against Welkin's limit at <paramref name="now"/>, oldest first.</summary>
    public IEnumerable<DateTimeOffset> RequestsCountingAt(DateTimeOffset now) => Requests.Where(r => WelkinRateGuard.Counts(r, now)).Order();

    /// <summary>The state after a holder's attempt: its outcome, and its requests added to the recent ones.</summary>
    public RefreshLockState After(RefreshOutcome outcome, IReadOnlyList<DateTimeOffset> sent, DateTimeOffset? blockedUntil, DateTimeOffset now) => new(
        outcome is { Status: RefreshStatus.Succeeded, Refreshed: true } ? outcome.Token?.Version ?? Version : Version,
        Attempts + 1,
        outcome.Status,
        outcome.FailureCategory,
        [.. Requests.Concat(sent).Where(r => WelkinRateGuard.Counts(r, now)).Order()],
        Later(BlockedUntil, blockedUntil));

    public IDictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [AttemptsKey] = Attempts.ToString(CultureInfo.InvariantCulture),
            [RequestsKey] = string.Join(' ', Requests.Select(r => r.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))),
        };
        Put(metadata, VersionKey, Version);
        Put(metadata, LastStatusKey, LastStatus?.ToString());
        Put(metadata, LastCategoryKey, LastCategory);
        Put(metadata, BlockedUntilKey, BlockedUntil?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return metadata;
    }

    /// <summary>Reads the metadata leniently: whatever is missing or garbled reads as "nothing known".</summary>
    public static RefreshLockState FromMetadata(IDictionary<string, string> metadata)
    {
        var lookup = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
        return new RefreshLockState(
            lookup.TryGetValue(VersionKey, out var version) && version.Length > 0 ? version : null,
            lookup.TryGetValue(AttemptsKey, out var attempts) && long.TryParse(attempts, CultureInfo.InvariantCulture, out var a) ? a : 0,
            lookup.TryGetValue(LastStatusKey, out var status) && Enum.TryParse<RefreshStatus>(status, out var s) ? s : null,
            lookup.TryGetValue(LastCategoryKey, out var category) && category.Length > 0 ? category : null,
            lookup.TryGetValue(RequestsKey, out var requests) ? [.. ParseTimes(requests)] : [],
            lookup.TryGetValue(BlockedUntilKey, out var blocked) ? ParseTimes(blocked).Select(t => (DateTimeOffset?)t).FirstOrDefault() : null);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static IEnumerable<DateTimeOffset> ParseTimes(string value) =>
        value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => long.TryParse(t, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null)
            .OfType<DateTimeOffset>();

    private static void Put(Dictionary<string, string> metadata, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            metadata[key] = value;
        }
    }
}
