using Moq;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Functions;

/// <summary>GET /api/token/status: 200 while healthy, else 503, with the token's metadata and never the token.</summary>
public sealed class TokenStatusFunctionTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<ITokenRefresher> _refresher = new(MockBehavior.Strict);

    public static TheoryData<string> Reports() => [.. Cases.Keys];

    private static readonly Dictionary<string, (TokenStatusReport Report, int Status)> Cases = new()
    {
        ["ok"] = (new(true, "ok", "welkin-api-token", "v9", IssuedAt, IssuedAt.AddHours(1), 3000), 200),
        ["expiring-soon"] = (new(false, "expiring-soon", "welkin-api-token", "v9", IssuedAt, IssuedAt.AddHours(1), 299), 503),
        ["expired"] = (new(false, "expired", "welkin-api-token", "v9", IssuedAt, IssuedAt.AddHours(1), -10), 503),
        ["no-token"] = (new(false, "no-token", "welkin-api-token", null, null, null, null), 503),
        ["disabled"] = (new(false, "disabled", "welkin-api-token", null, null, null, null), 503),
        ["vault-failed"] = (new(false, "vault-failed", "welkin-api-token", null, null, null, null, "vault-forbidden", "Grant the role."), 503),
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Report_maps_to_status_and_json(string name)
    {
        var (report, expected) = Cases[name];
        _refresher.Setup(r => r.GetStatusAsync(ClientUse.Refresh, It.IsAny<CancellationToken>())).ReturnsAsync(report);
        var request = HttpCalls.Request("GET");

        var (status, json, body) = HttpCalls.Read(await new TokenStatus(StubRegistry.Of(_refresher.Object)).Run(request, CancellationToken.None));

        Assert.Equal(expected, status);
        Assert.Equal(report.Healthy, json.GetProperty("healthy").GetBoolean());
        Assert.Equal(report.Reason, json.GetProperty("reason").GetString());
        Assert.Equal("welkin-api-token", json.GetProperty("secretName").GetString());
        if (report.Version is not null)
        {
            Assert.Equal(report.Version, json.GetProperty("version").GetString());
            Assert.Equal(report.IssuedAt, json.GetProperty("issuedAt").GetDateTimeOffset());
            Assert.Equal(report.ExpiresAt, json.GetProperty("expiresAt").GetDateTimeOffset());
            Assert.Equal(report.RemainingSeconds, json.GetProperty("remainingSeconds").GetInt32());
        }

        if (report.Category is not null)
        {
            Assert.Equal(report.Category, json.GetProperty("category").GetString());
            Assert.Equal(report.Message, json.GetProperty("message").GetString());
        }

        string[] allowed = ["blockedUntil", "category", "client", "expiresAt", "healthy", "issuedAt", "maxTokenRequestsPer5Minutes", "message", "reason", "remainingSeconds", "secretName", "tokenRequestsLast5Minutes", "version"];
        Assert.Empty(HttpCalls.PropertyNames(json).Except(allowed));
        Assert.Equal("default", json.GetProperty("client").GetString());
        Assert.DoesNotContain("\"token\"", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        _refresher.Verify(r => r.RefreshAsync(It.IsAny<RefreshTrigger>(), It.IsAny<bool>(), It.IsAny<CancellationToken>(), It.IsAny<DateTimeOffset?>()), Times.Never);
    }
}
