using System.Net;
using System.Text.Json;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>
/// <c>Welkin:Api</c> = <c>api-clients</c>: the URL, the body, the answer without an expiry, a disabled client and the
/// list-shaped error body, through the registered typed client and pipeline.
/// </summary>
public sealed class ApiClientsTokenApiTests : IDisposable
{
    private readonly RefresherHarness _harness = new(s =>
    {
        s["Welkin:BaseUrl"] = "https://api.live.welkincloud.io";
        s["Welkin:Api"] = "api-clients";
        s["Welkin:Tenant"] = "acme";
    });

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Posts_the_secret_only_to_tenant_admin_api_clients_and_the_client_key()
    {
        var exp = _harness.Time.GetUtcNow().AddHours(1);
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{Jwt.WithExp(exp)}}"}""");

        await _harness.Client.RequestTokenAsync(CancellationToken.None);

        var sent = Assert.Single(_harness.Welkin.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(new Uri($"https://api.live.welkincloud.io/acme/admin/api_clients/{TestSettings.ApiClient}"), sent.Uri);
        Assert.Equal("application/json", sent.ContentType);
        using var body = JsonDocument.Parse(sent.Body);
        var property = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal(("secret", TestSettings.Secret), (property.Name, property.Value.GetString()));
    }

    [Fact]
    public async Task Tenant_and_api_client_are_escaped_as_path_segments()
    {
        using var harness = new RefresherHarness(s =>
        {
            s["Welkin:BaseUrl"] = "https://api.stg.welkincloud.io/";
            s["Welkin:Api"] = "api-clients";
            s["Welkin:Tenant"] = "acme corp";
            s["Welkin:ApiClient"] = "reporting/ü?#";
        });
        harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"token":"{{Jwt.WithExp(harness.Time.GetUtcNow().AddHours(1))}}"}""");

        await harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(
            "https://api.stg.welkincloud.io/acme%20corp/admin/api_clients/reporting%2F%C3%BC%3F%23",
            Assert.Single(harness.Welkin.Requests).Uri!.AbsoluteUri);
    }

    [Fact]
    public async Task Expiry_is_the_jwt_exp_claim_of_an_answer_with_clientName_and_enabled()
    {
        var exp = _harness.Time.GetUtcNow().AddMinutes(59);
        var jwt = Jwt.WithExp(exp);
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"clientName":"reporting","token":"{{jwt}}","enabled":true}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(jwt, token.Value);
        Assert.Equal(exp, token.ExpiresAt);
        Assert.Equal(ExpirySource.JwtExpClaim, token.ExpirySource);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1009);
    }

    [Fact]
    public async Task Token_without_exp_claim_assumes_one_hour_with_the_warning()
    {
        var now = _harness.Time.GetUtcNow();
        _harness.Welkin.Respond = _ => WelkinAnswers.Json("""{"token":"opaque-token"}""");

        var token = await _harness.Client.RequestTokenAsync(CancellationToken.None);

        Assert.Equal(now.AddHours(1), token.ExpiresAt);
        Assert.Equal(ExpirySource.DocumentedLifetime, token.ExpirySource);
        Assert.Contains(_harness.Logs.GetSnapshot(), r => r.Id.Id == 1006);
    }

    [Fact]
    public async Task Enabled_false_is_rejected_credentials_and_nothing_is_written()
    {
        var jwt = Jwt.WithExp(_harness.Time.GetUtcNow().AddHours(1));
        _harness.Welkin.Respond = _ => WelkinAnswers.Json($$"""{"clientName":"reporting","token":"{{jwt}}","enabled":false}""");

        var outcome = await _harness.Refresher.RefreshAsync(RefreshTrigger.OnDemand, force: false, CancellationToken.None);

        Assert.Equal(RefreshStatus.WelkinFailed, outcome.Status);
        Assert.Equal("credentials-rejected", outcome.FailureCategory);
        Assert.Contains("\"enabled\": false", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Vault.Writes);
        Assert.Equal(1, _harness.Welkin.Attempts);
        Assert.DoesNotContain(_harness.Logs.GetSnapshot(), r => r.Message.Contains(jwt, StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_shaped_401_is_rejected_credentials_naming_its_error_codes_and_not_retried()
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Json(
            $$"""[{"errorCode":"NOT_VALID_JSON_WEB_TOKEN","message":"echo {{TestSettings.Secret}}"},{"errorCode":"TOKEN_EXPIRED"},{"errorCode":"<script>"}]""",
            HttpStatusCode.Unauthorized);

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.CredentialsRejected, e.Kind);
        Assert.Equal(401, e.StatusCode);
        Assert.Contains("401 Unauthorized, NOT_VALID_JSON_WEB_TOKEN, TOKEN_EXPIRED)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSettings.Secret, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _harness.Welkin.Attempts);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"errorCode":"UNAUTHORIZED"}""")]
    [InlineData("""[1, "x", null]""")]
    public async Task Any_401_body_is_rejected_credentials(string body)
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Status(HttpStatusCode.Unauthorized, body);

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.CredentialsRejected, e.Kind);
        Assert.StartsWith("Welkin rejected the API client credentials (401 Unauthorized", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_that_is_not_json_names_the_api_clients_shape()
    {
        _harness.Welkin.Respond = _ => WelkinAnswers.Json("<html></html>");

        var e = await Assert.ThrowsAsync<WelkinTokenException>(() => _harness.Client.RequestTokenAsync(CancellationToken.None));

        Assert.Equal(WelkinFailureKind.InvalidResponse, e.Kind);
        Assert.Equal("Welkin's answer is not the expected JSON object {\"token\"}.", e.Message);
    }
}
