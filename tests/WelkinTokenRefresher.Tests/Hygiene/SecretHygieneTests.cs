using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Functions.Functions;
using WelkinTokenRefresher.Tests.TestDoubles;
using WelkinTokenRefresher.Tests.Vault;

namespace WelkinTokenRefresher.Tests.Hygiene;

/// <summary>
/// Every refresh path through the real refresher, Welkin client and Key Vault store, with every log line captured:
/// neither the API secret nor the token appears in a log message, a logged exception, an outcome, an HTTP answer, or
/// the string form of the records that carry them.
/// </summary>
public sealed class SecretHygieneTests
{
    private const string Secret = "SECRET-SENTINEL-7f3a";
    private const string TokenMarker = "TOKEN-SENTINEL-9c1e";

    public static TheoryData<string> Scenarios() => [.. ScenarioSetups.Keys];

    /// <summary>How Welkin and the vault behave in each scenario; hostile answers echo the secret and the token back.</summary>
    private static readonly Dictionary<string, Action<RefresherHarness, string>> ScenarioSetups = new()
    {
        ["success"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Token(token, h.Time.GetUtcNow().AddHours(1)),
        ["success-exp-claim"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{token}}"}"""),
        ["success-unparseable-expiresAt"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{token}}","expiresAt":"soon {{token}}"}"""),
        ["success-assumed-lifetime"] = (h, _) => h.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"opaque-{{TokenMarker}}"}"""),
        ["400"] = (h, token) => h.Welkin.Respond = _ => Echo(HttpStatusCode.BadRequest, token),
        ["401"] = (h, token) => h.Welkin.Respond = _ => Echo(HttpStatusCode.Unauthorized, token),
        ["403"] = (h, token) => h.Welkin.Respond = _ => Echo(HttpStatusCode.Forbidden, token),
        ["404"] = (h, token) => h.Welkin.Respond = _ => Echo(HttpStatusCode.NotFound, token),
        ["429"] = (h, token) => h.Welkin.Respond = _ => Echo(HttpStatusCode.TooManyRequests, token),
        ["500"] = (h, token) => h.Welkin.Respond = _ => Echo(HttpStatusCode.InternalServerError, token),
        ["503"] = (h, token) => h.Welkin.Respond = _ => Echo(HttpStatusCode.ServiceUnavailable, token),
        ["connection-error"] = (h, _) => h.Welkin.Respond = _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (welkin.example:443)"),
        ["not-json"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Json($"token={token}&secret={Secret}"),
        ["html"] = (h, token) => h.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"<html>{token} {Secret}</html>", Encoding.UTF8, "text/html") },
        ["token-not-a-string"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":{"value":"{{token}}"},"secret":"{{Secret}}"}"""),
        ["expiresAt-not-a-string"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{token}}","expiresAt":12}"""),
        ["token-with-space"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Token($"{token} {Secret}", h.Time.GetUtcNow().AddHours(1)),
        ["expired-token"] = (h, token) => h.Welkin.Respond = _ => WelkinAnswers.Token(token, h.Time.GetUtcNow().AddMinutes(-1)),
        ["oversized"] = (h, token) => h.Welkin.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new UnknownLengthContent(Encoding.UTF8.GetBytes($$"""{"token":"{{token}}{{new string('x', 70_000)}}","echo":"{{Secret}}"}""")),
        },
        ["vault-read-403"] = (h, token) => Vault(h, token, read: InMemorySecretClient.Failure(403, "Forbidden")),
        ["vault-read-401"] = (h, token) => Vault(h, token, read: InMemorySecretClient.Failure(401, "Unauthorized")),
        ["vault-read-429"] = (h, token) => Vault(h, token, read: InMemorySecretClient.Failure(429, "Throttled")),
        ["vault-read-500"] = (h, token) => Vault(h, token, read: InMemorySecretClient.Failure(500, "InternalServerError")),
        ["vault-read-no-credential"] = (h, token) => Vault(h, token, read: KeyVaultTokenVaultFailureTests.Make("no-credential")),
        ["vault-read-auth-failed"] = (h, token) => Vault(h, token, read: KeyVaultTokenVaultFailureTests.Make("auth-failed")),
        ["vault-write-403"] = (h, token) => Vault(h, token, write: InMemorySecretClient.Failure(403, "Forbidden")),
        ["vault-write-401"] = (h, token) => Vault(h, token, write: InMemorySecretClient.Failure(401, "Unauthorized")),
        ["vault-write-429"] = (h, token) => Vault(h, token, write: InMemorySecretClient.Failure(429, "Throttled")),
        ["vault-write-503"] = (h, token) => Vault(h, token, write: InMemorySecretClient.Failure(503, "ServiceUnavailable")),
        ["vault-write-no-credential"] = (h, token) => Vault(h, token, write: KeyVaultTokenVaultFailureTests.Make("no-credential")),
        ["vault-write-auth-failed"] = (h, token) => Vault(h, token, write: KeyVaultTokenVaultFailureTests.Make("auth-failed")),
        ["vault-write-network"] = (h, token) => Vault(h, token, write: KeyVaultTokenVaultFailureTests.Make("aggregate")),
    };

    private static HttpResponseMessage Echo(HttpStatusCode status, string token) =>
        WelkinAnswers.Status(status, $$"""{"error":"bad request","secret":"{{Secret}}","token":"{{token}}"}""");

    private static void Vault(RefresherHarness harness, string token, Exception? read = null, Exception? write = null)
    {
        harness.Welkin.Respond = _ => WelkinAnswers.Token(token, harness.Time.GetUtcNow().AddHours(1));
        harness.Vault.ReadFailure = read;
        harness.Vault.WriteFailure = write;
    }

    private static RefresherHarness Harness() => new(
        s => s["Welkin:Secret"] = Secret,
        services => services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)));

    private static string TokenFor(RefresherHarness harness) => Jwt.WithExp(harness.Time.GetUtcNow().AddMinutes(59), TokenMarker);

    /// <summary>Everything the refresh path said, about itself or to its callers, as text.</summary>
    private static async Task<List<(string Where, string Text)>> RunAsync(string scenario)
    {
        using var harness = Harness();
        var token = TokenFor(harness);
        ScenarioSetups[scenario](harness, token);
        var seen = new List<(string, string)>();

        // The schedule path, then the HTTP paths (a forced refresh and the status), then the client itself.
        var outcome = await harness.Refresher.RefreshAsync(RefreshTrigger.Schedule, force: false, CancellationToken.None);
        seen.Add(("outcome", outcome.ToString()));
        seen.Add(("outcome.Message", outcome.Message ?? ""));
        seen.Add(("report", JsonSerializer.Serialize(RefreshReport.From(outcome), ReportJsonContext.Default.RefreshReport)));

        try
        {
            await ActivatorUtilities.CreateInstance<RefreshOnSchedule>(harness.Services).Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        }
        catch (ScheduledRefreshFailedException e)
        {
            seen.Add(("timer exception", e.ToString()));
        }

        harness.Time.Advance(TimeSpan.FromMinutes(2));
        var onDemand = await ActivatorUtilities.CreateInstance<RefreshOnDemand>(harness.Services).Run(HttpCalls.Request("POST", "?force=true"), CancellationToken.None);
        seen.Add(("POST /api/token/refresh", HttpCalls.Read(onDemand).Body));
        var status = await ActivatorUtilities.CreateInstance<TokenStatus>(harness.Services).Run(HttpCalls.Request("GET"), CancellationToken.None);
        seen.Add(("GET /api/token/status", HttpCalls.Read(status).Body));

        harness.Time.Advance(TimeSpan.FromHours(2));
        try
        {
            var issued = await harness.Client.RequestTokenAsync(CancellationToken.None);
            seen.Add(("IssuedToken", issued.ToString()));
        }
        catch (WelkinTokenException e)
        {
            seen.Add(("client exception", e.ToString()));
        }

        var logs = harness.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (var record in logs)
        {
            seen.Add(($"log {record.Id} {record.Category}", record.Message));
            if (record.Exception is { } exception)
            {
                seen.Add(($"log exception {record.Id}", exception.ToString()));
            }

            foreach (var (key, value) in record.StructuredState ?? [])
            {
                seen.Add(($"log state {record.Id} {key}", value ?? ""));
            }
        }

        if (scenario.StartsWith("success", StringComparison.Ordinal))
        {
            // Positive control: the token did flow through this run, so its absence above means something.
            var written = harness.Vault.Sent[0].Value;
            Assert.Contains(TokenMarker, written, StringComparison.Ordinal);
            Assert.Equal(RefreshStatus.Succeeded, outcome.Status);
            Assert.True(outcome.Refreshed);
        }
        else
        {
            Assert.NotEqual(RefreshStatus.Succeeded, outcome.Status);
        }

        Assert.True(harness.Welkin.Requests.All(r => r.Body.Contains(Secret, StringComparison.Ordinal)), "the secret did not reach the stub");
        return seen;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Neither_secret_nor_token_is_said_anywhere(string scenario)
    {
        var seen = await RunAsync(scenario);

        foreach (var (where, text) in seen)
        {
            Assert.False(text.Contains(Secret, StringComparison.Ordinal), $"the API secret appears in {where}: {text}");
            Assert.False(text.Contains(TokenMarker, StringComparison.Ordinal), $"the token appears in {where}: {text}");
        }
    }

    [Fact]
    public void Records_that_hold_the_secret_or_token_do_not_print_them()
    {
        var now = TimeProvider.System.GetUtcNow();
        var issued = new IssuedToken($"eyJ.{TokenMarker}.sig", now, now.AddHours(1), ExpirySource.ExpiresAtField);
        var request = new WelkinTokenRequest(Secret, "api-client");
        var response = new WelkinTokenResponse($"eyJ.{TokenMarker}.sig", null);
        var outcome = new RefreshOutcome(RefreshStatus.Succeeded, true, RefreshReasons.Forced, "welkin-api-token", null);

        foreach (var text in new[] { issued.ToString(), request.ToString(), response.ToString(), outcome.ToString(), $"{issued}", $"{request}" })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TokenMarker, text, StringComparison.Ordinal);
        }

        Assert.Contains("IssuedAt", issued.ToString(), StringComparison.Ordinal);
    }
}
