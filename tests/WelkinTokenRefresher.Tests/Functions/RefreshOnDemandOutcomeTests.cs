using System.Text.Json;
using Moq;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Functions;

/// <summary>POST /api/token/refresh: the status code, headers and JSON body for every refresh outcome.</summary>
public sealed class RefreshOnDemandOutcomeTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly StoredToken Token = new("welkin-api-token", "0123abcd", IssuedAt, IssuedAt.AddHours(1));

    private readonly Mock<ITokenRefresher> _refresher = new(MockBehavior.Strict);

    public static TheoryData<string> Outcomes() => [.. Cases.Keys];

    private static readonly Dictionary<string, (RefreshOutcome Outcome, int Status, string? RetryAfter)> Cases = new()
    {
        ["refreshed"] = (new(RefreshStatus.Succeeded, true, RefreshReasons.NoToken, "welkin-api-token", Token), 200, null),
        ["forced"] = (new(RefreshStatus.Succeeded, true, RefreshReasons.Forced, "welkin-api-token", Token), 200, null),
        ["joined"] = (new(RefreshStatus.Succeeded, true, RefreshReasons.RefreshedConcurrently, "welkin-api-token", Token), 200, null),
        ["not-due"] = (new(RefreshStatus.Succeeded, false, RefreshReasons.NotDue, "welkin-api-token", Token), 200, null),
        ["force-too-soon"] = (new(RefreshStatus.Throttled, false, RefreshReasons.ForceTooSoon, "welkin-api-token", Token, TimeSpan.FromSeconds(40.2), RefreshReasons.ForceTooSoon, "The token in the vault was issued 20 s ago."), 429, "41"),
        ["rate-limited"] = (new(RefreshStatus.Throttled, false, RefreshReasons.RateLimited, "welkin-api-token", Token, TimeSpan.FromMinutes(5), "rate-limited", "Welkin is rate limiting this API client."), 429, "300"),
        ["credentials-rejected"] = (new(RefreshStatus.WelkinFailed, false, RefreshReasons.WelkinFailed, "welkin-api-token", Token, null, "credentials-rejected", "Welkin rejected the API client credentials."), 502, null),
        ["welkin-unavailable"] = (new(RefreshStatus.WelkinFailed, false, RefreshReasons.WelkinFailed, "welkin-api-token", null, null, "welkin-unavailable", "Welkin is unavailable (503)."), 502, null),
        ["invalid-response"] = (new(RefreshStatus.WelkinFailed, false, RefreshReasons.WelkinFailed, "welkin-api-token", Token, null, "invalid-response", "Welkin's answer has no token."), 502, null),
        ["vault-forbidden"] = (new(RefreshStatus.VaultFailed, false, RefreshReasons.VaultFailed, "welkin-api-token", Token, null, "vault-forbidden", "Grant the role."), 503, null),
        ["vault-throttled"] = (new(RefreshStatus.VaultFailed, false, RefreshReasons.VaultFailed, "welkin-api-token", null, TimeSpan.FromSeconds(10), "vault-throttled", "Key Vault is throttling."), 503, "10"),
    };

    private async Task<(int Status, JsonElement Json, string Body, Microsoft.AspNetCore.Http.HttpResponse Response)> CallAsync(RefreshOutcome outcome)
    {
        _refresher.Setup(r => r.RefreshAsync(RefreshTrigger.OnDemand, false, It.IsAny<CancellationToken>(), null)).ReturnsAsync(outcome);
        var request = HttpCalls.Request("POST");

        var result = await new RefreshOnDemand(StubRegistry.Of(_refresher.Object)).Run(request, CancellationToken.None);

        var (status, json, body) = HttpCalls.Read(result);
        return (status, json, body, request.HttpContext.Response);
    }

    [Theory]
    [MemberData(nameof(Outcomes))]
    public async Task Outcome_maps_to_status_headers_and_json(string name)
    {
        var (outcome, expectedStatus, expectedRetryAfter) = Cases[name];

        var (status, json, _, response) = await CallAsync(outcome);

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedRetryAfter, response.Headers.RetryAfter.Count == 0 ? null : response.Headers.RetryAfter.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        Assert.Equal(outcome.Refreshed, json.GetProperty("refreshed").GetBoolean());
        Assert.Equal(outcome.Reason, json.GetProperty("reason").GetString());
        Assert.Equal("welkin-api-token", json.GetProperty("secretName").GetString());
        if (outcome.Token is { } token)
        {
            Assert.Equal(token.Version, json.GetProperty("version").GetString());
            Assert.Equal(token.IssuedAt, json.GetProperty("issuedAt").GetDateTimeOffset());
            Assert.Equal(token.ExpiresAt, json.GetProperty("expiresAt").GetDateTimeOffset());
        }
        else
        {
            Assert.False(json.TryGetProperty("version", out _));
        }

        if (outcome.Status == RefreshStatus.Succeeded)
        {
            Assert.False(json.TryGetProperty("category", out _));
            Assert.False(json.TryGetProperty("message", out _));
        }
        else
        {
            Assert.Equal(outcome.FailureCategory, json.GetProperty("category").GetString());
            Assert.Equal(outcome.Message, json.GetProperty("message").GetString());
        }

        if (expectedRetryAfter is not null)
        {
            Assert.Equal(int.Parse(expectedRetryAfter, System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("retryAfterSeconds").GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(Outcomes))]
    public async Task Answer_holds_only_report_fields_and_never_a_token(string name)
    {
        var (_, json, body, _) = await CallAsync(Cases[name].Outcome);

        string[] allowed = ["category", "client", "expiresAt", "issuedAt", "message", "reason", "refreshed", "retryAfterSeconds", "secretName", "version"];
        Assert.Empty(HttpCalls.PropertyNames(json).Except(allowed));
        Assert.Equal("default", json.GetProperty("client").GetString());
        Assert.DoesNotContain("\"token\"", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Succeeded_with_a_retry_after_sends_no_retry_after_header()
    {
        var (status, _, _, response) = await CallAsync(new RefreshOutcome(RefreshStatus.Succeeded, false, RefreshReasons.NotDue, "welkin-api-token", Token, TimeSpan.FromSeconds(5)));

        Assert.Equal(200, status);
        Assert.Equal(0, response.Headers.RetryAfter.Count);
    }
}
