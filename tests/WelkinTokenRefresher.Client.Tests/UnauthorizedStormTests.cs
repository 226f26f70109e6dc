using System.Net;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>401-driven re-reads share the minimum read interval with every other read.</summary>
public sealed class UnauthorizedStormTests
{
    [Fact]
    public async Task A_Welkin_that_answers_401_to_everyone_costs_one_read_per_interval_not_one_per_request()
    {
        using var fixture = new TokenSourceFixture();
        await fixture.WarmAsync("v1");
        var welkin = new StubInnerHandler(HttpStatusCode.Unauthorized);
        using var invoker = new HttpMessageInvoker(new WelkinBearerTokenHandler(fixture.Source) { InnerHandler = welkin });

        // 1,000 requests over five simulated minutes, each answered 401.
        for (int request = 0; request < 1000; request++)
        {
            using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://welkin.test/x"), CancellationToken.None);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            fixture.Time.Advance(TimeSpan.FromMilliseconds(300));
        }

        // The warm-up read, then one re-read at 30, 60, ... 270 s: 1 + 9.
        Assert.Equal(10, fixture.Vault.Reads);
        Assert.Equal(1000, welkin.SentAuthorizations.Count);
    }

    [Fact]
    public async Task After_a_401_a_failure_read_within_the_interval_is_what_the_caller_gets_without_a_read()
    {
        using var fixture = new TokenSourceFixture();
        await fixture.WarmAsync("v1");
        fixture.Time.Advance(TimeSpan.FromHours(1));
        fixture.Vault.Fails(503);
        await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.GetTokenAsync().AsTask());

        fixture.Time.Advance(TimeSpan.FromSeconds(29));
        var failure = await Assert.ThrowsAsync<WelkinTokenUnavailableException>(() => fixture.Source.RefreshAsync("v1").AsTask());

        Assert.Equal(WelkinTokenUnavailableReason.VaultUnavailable, failure.Reason);
        Assert.Equal(2, fixture.Vault.Reads);
    }
}
