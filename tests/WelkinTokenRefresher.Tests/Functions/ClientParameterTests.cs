using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Functions;

/// <summary>The <c>client</c> and <c>all</c> query parameters of the HTTP functions, over the registered multi-client engine.</summary>
public sealed class ClientParameterTests : IDisposable
{
    private readonly MultiClientHarness _harness = new(["live", "staging"]);

    public ClientParameterTests() => _harness.EveryWelkinIssues();

    public void Dispose() => _harness.Dispose();

    private Task<Microsoft.AspNetCore.Mvc.IActionResult> RefreshAsync(string query) =>
        ActivatorUtilities.CreateInstance<RefreshOnDemand>(_harness.Services).Run(HttpCalls.Request("POST", query), CancellationToken.None);

    private Task<Microsoft.AspNetCore.Mvc.IActionResult> StatusAsync(string query) =>
        ActivatorUtilities.CreateInstance<TokenStatus>(_harness.Services).Run(HttpCalls.Request("GET", query), CancellationToken.None);

    [Fact]
    public async Task Refresh_with_client_refreshes_that_client_only_and_names_it()
    {
        var (status, json, _) = HttpCalls.Read(await RefreshAsync("?client=live"));

        Assert.Equal(200, status);
        Assert.Equal("live", json.GetProperty("client").GetString());
        Assert.Equal("welkin-api-token-live", json.GetProperty("secretName").GetString());
        Assert.Equal(1, _harness.Welkin["live"].Attempts);
        Assert.Equal(0, _harness.Welkin["default"].Attempts + _harness.Welkin["staging"].Attempts);
    }

    [Fact]
    public async Task Without_client_the_default_client_is_refreshed()
    {
        var (status, json, _) = HttpCalls.Read(await RefreshAsync(""));

        Assert.Equal(200, status);
        Assert.Equal("default", json.GetProperty("client").GetString());
        Assert.Equal(1, _harness.Welkin["default"].Attempts);
    }

    [Theory]
    [InlineData("POST", "?client=prod")]
    [InlineData("GET", "?client=prod")]
    public async Task An_unknown_client_is_404_listing_the_configured_ones(string method, string query)
    {
        var (status, json, _) = HttpCalls.Read(method == "POST" ? await RefreshAsync(query) : await StatusAsync(query));

        Assert.Equal(404, status);
        Assert.Equal("unknown-client", json.GetProperty("category").GetString());
        Assert.Equal("prod", json.GetProperty("client").GetString());
        Assert.Equal(["default", "live", "staging"], json.GetProperty("clients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("No Welkin API client named 'prod' is configured (query parameter client); the configured clients are 'default', 'live', 'staging'.", json.GetProperty("message").GetString());
        Assert.Equal(0, _harness.Welkin.Values.Sum(w => w.Attempts));
    }

    [Fact]
    public async Task A_repeated_client_parameter_is_400()
    {
        var (status, json, _) = HttpCalls.Read(await RefreshAsync("?client=live&client=staging"));

        Assert.Equal(400, status);
        Assert.Equal("bad-request", json.GetProperty("category").GetString());
        Assert.Equal(0, _harness.Welkin.Values.Sum(w => w.Attempts));
    }

    [Fact]
    public async Task Status_of_one_client_carries_its_name()
    {
        await RefreshAsync("?client=staging");

        var (status, json, _) = HttpCalls.Read(await StatusAsync("?client=staging"));
        var (defaultStatus, defaultJson, _) = HttpCalls.Read(await StatusAsync(""));

        Assert.Equal((200, "staging", "ok"), (status, json.GetProperty("client").GetString(), json.GetProperty("reason").GetString()));
        Assert.Equal((503, "default", "no-token"), (defaultStatus, defaultJson.GetProperty("client").GetString(), defaultJson.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Status_of_all_clients_is_healthy_only_when_every_client_is()
    {
        await RefreshAsync("?client=live");
        await RefreshAsync("?client=staging");

        var (partly, partlyJson, _) = HttpCalls.Read(await StatusAsync("?all=true"));
        await RefreshAsync("");
        var (all, allJson, body) = HttpCalls.Read(await StatusAsync("?all=true"));

        Assert.Equal(503, partly);
        Assert.False(partlyJson.GetProperty("healthy").GetBoolean());
        Assert.Equal([("default", false), ("live", true), ("staging", true)],
            partlyJson.GetProperty("clients").EnumerateArray().Select(c => (c.GetProperty("client").GetString(), c.GetProperty("healthy").GetBoolean())));
        Assert.Equal(200, all);
        Assert.True(allJson.GetProperty("healthy").GetBoolean());
        Assert.DoesNotContain(_harness.Latest("welkin-api-token-live")!.Value, body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"token\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?all=yes")]
    [InlineData("?all=true&client=live")]
    public async Task A_bad_all_parameter_is_400(string query)
    {
        var (status, json, _) = HttpCalls.Read(await StatusAsync(query));

        Assert.Equal(400, status);
        Assert.Equal("bad-request", json.GetProperty("category").GetString());
        Assert.True(json.TryGetProperty("client", out _));
    }
}
