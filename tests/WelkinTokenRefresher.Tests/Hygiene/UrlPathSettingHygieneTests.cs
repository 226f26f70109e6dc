using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Hygiene;

/// <summary>
/// On the api-clients API, <c>Tenant</c> and <c>ApiClient</c> go into the request URL's path. With the secret pasted into
/// either, every log line of a refresh (at Trace, every category: the HttpClient factory's and the resilience pipeline's
/// included) and every message is free of it: requests are logged without their path, and messages name keys, not URLs.
/// </summary>
public sealed class UrlPathSettingHygieneTests
{
    private const string Pasted = "PASTED-SECRET-5e1d";

    public static TheoryData<string, HttpStatusCode> Cases() => new()
    {
        { "ApiClient", HttpStatusCode.OK },
        { "ApiClient", HttpStatusCode.NotFound },
        { "ApiClient", HttpStatusCode.Unauthorized },
        { "ApiClient", HttpStatusCode.ServiceUnavailable },
        { "Tenant", HttpStatusCode.OK },
        { "Tenant", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_secret_pasted_into_a_url_path_setting_reaches_no_log_line_and_no_message(string setting, HttpStatusCode answer)
    {
        using var harness = new RefresherHarness(
            s =>
            {
                s["Welkin:Api"] = "api-clients";
                s["Welkin:Tenant"] = "acme";
                s[$"Welkin:{setting}"] = Pasted;
            },
            services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace)));
        harness.Welkin.Respond = _ => answer == HttpStatusCode.OK
            ? WelkinAnswers.Json($$"""{"token":"{{Jwt.WithExp(harness.Time.GetUtcNow().AddHours(1))}}"}""")
            : WelkinAnswers.Status(answer);

        var outcome = await harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: true, CancellationToken.None);

        // The pasted value really went into the path, where the factory's own request lines would have printed it.
        Assert.Contains(Pasted, Assert.IsType<Uri>(harness.Welkin.Requests[0].Uri).AbsolutePath, StringComparison.Ordinal);
        var records = harness.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Category == "WelkinTokenRefresher.Core.Welkin.WelkinRequestLogger" && r.Level == LogLevel.Information);
        Assert.DoesNotContain(records, r => r.Category?.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) == true);
        Assert.All(records, r =>
        {
            Assert.DoesNotContain(Pasted, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Pasted, r.Exception?.ToString() ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(Pasted, string.Join(" ", r.StructuredState?.Select(p => p.Value) ?? []), StringComparison.Ordinal);
        });
        Assert.DoesNotContain(Pasted, outcome.Message ?? "", StringComparison.Ordinal);
    }
}
