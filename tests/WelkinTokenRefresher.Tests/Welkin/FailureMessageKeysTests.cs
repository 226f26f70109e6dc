using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly.Timeout;
using WelkinTokenRefresher.Core.Coordination;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>
/// Every failure message names the keys of the client it is about and of the API it uses, by one rule: each failure ×
/// {default, named} × {auth-token, api-clients}. The named client sets every setting of its own, so a message that named
/// the default client's key (or a URL, whose path holds Tenant and ApiClient) fails here.
/// </summary>
public sealed partial class FailureMessageKeysTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var failure in Failures)
        {
            foreach (var client in new[] { "default", "live" })
            {
                foreach (var api in new[] { "auth-token", "api-clients" })
                {
                    if (failure != "disabled" || api == "api-clients")
                    {
                        cases.Add(failure, client, api);
                    }
                }
            }
        }

        return cases;
    }

    private static readonly string[] Failures =
        ["credentials-rejected", "not-found", "timeout", "rate-guard", "shared-budget", "disabled", "unreachable", "tls", "unexpected"];

    /// <summary>The keys each failure's message must name, as settings of the client (the prefix is the client's section).</summary>
    private static string[] ExpectedSettings(string failure, string api) => failure switch
    {
        "credentials-rejected" => ["ApiClient", "Secret"],
        "not-found" when api == "api-clients" => ["BaseUrl", "Tenant", "ApiClient"],
        "not-found" => ["BaseUrl", "TokenPath"],
        "timeout" => ["Timeout"],
        "rate-guard" or "shared-budget" => ["MaxTokenRequestsPer5Minutes"],
        "disabled" => ["ApiClient"],
        _ => ["BaseUrl"],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_message_names_the_keys_of_its_client_and_api_and_no_other(string failure, string client, string api)
    {
        InMemoryRefreshLeaseStore? lease = null;
        using var harness = new MultiClientHarness(["live"], settings =>
        {
            settings["Welkin:Api"] = api;
            settings["Welkin:Tenant"] = "acme";
            // A ceiling of one request: a retry is the rate guard's to refuse; otherwise room for every retry.
            var ceiling = failure is "rate-guard" or "shared-budget" ? "1" : "10";
            settings["Welkin:MaxTokenRequestsPer5Minutes"] = ceiling;
            settings["Welkin:Clients:live:Api"] = api;
            settings["Welkin:Clients:live:Tenant"] = "acme-live";
            settings["Welkin:Clients:live:BaseUrl"] = "https://live.welkin.example";
            settings["Welkin:Clients:live:TokenPath"] = "/v2/auth/token";
            settings["Welkin:Clients:live:Timeout"] = "00:00:20";
            settings["Welkin:Clients:live:MaxTokenRequestsPer5Minutes"] = ceiling;
        }, services => services.Replace(ServiceDescriptor.Singleton<IRefreshLeaseStore>(_ => lease!)));
        lease = new InMemoryRefreshLeaseStore(harness.Time);
        var now = harness.Time.GetUtcNow();
        var welkin = harness.Welkin[client];
        welkin.Respond = failure switch
        {
            "credentials-rejected" => _ => WelkinAnswers.Status(HttpStatusCode.Unauthorized),
            "not-found" => _ => WelkinAnswers.Status(HttpStatusCode.NotFound),
            "timeout" => _ => throw new TimeoutRejectedException(),
            "rate-guard" => _ => WelkinAnswers.Status(HttpStatusCode.ServiceUnavailable),
            "disabled" => _ => WelkinAnswers.Json($$"""{"token":"{{Jwt.WithExp(now.AddHours(1))}}","enabled":false}"""),
            "unreachable" => _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"),
            "tls" => _ => throw new HttpRequestException(HttpRequestError.SecureConnectionError, "untrusted"),
            "unexpected" => _ => throw new NotSupportedException("not ours"),
            _ => _ => WelkinAnswers.Token("t", now.AddHours(1)),
        };
        if (failure == "shared-budget")
        {
            lease.TakenElsewhere(TimeSpan.Zero, RefreshLockState.Empty with { Requests = [now] });
        }

        var outcome = await harness.Refresher(client).RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);

        Assert.NotEqual(RefreshStatus.Succeeded, outcome.Status);
        var message = outcome.Message!;
        var prefix = client == "default" ? "Welkin:" : "Welkin:Clients:live:";
        foreach (var setting in ExpectedSettings(failure, api))
        {
            Assert.Contains(prefix + setting, message, StringComparison.Ordinal);
        }

        // Every key it names is this client's: none of another client's, none of the other API's, and no URL.
        Assert.All(KeyPattern().Matches(message).Select(m => m.Value), key => Assert.StartsWith(prefix, key, StringComparison.Ordinal));
        if (api == "api-clients")
        {
            Assert.DoesNotContain("TokenPath", message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("://", message, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_a_named_client_inherits_is_named_by_the_inherited_key()
    {
        using var harness = new MultiClientHarness(["eu"], settings => settings["Welkin:Timeout"] = "00:00:12");
        harness.Welkin["eu"].Respond = _ => throw new TimeoutRejectedException(TimeSpan.FromSeconds(12));

        var outcome = await harness.Refresher("eu").RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);

        Assert.Contains("was stopped after 00:00:12 (Welkin:Timeout, the limit per attempt)", outcome.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Welkin:[A-Za-z0-9:\-]+[A-Za-z0-9]")]
    private static partial Regex KeyPattern();
}
