using WelkinTokenRefresher.HostTests.Infrastructure;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests;

/// <summary>
/// What the host refuses before a request reaches the worker: a path and method that match no function's route (404), and
/// a <c>function</c>-level route without a valid key (401). Routes, methods and auth levels come from the functions' own
/// metadata; a refused request starts no invocation, reads no vault and calls no Welkin.
/// </summary>
public sealed class HostRoutingTests : IClassFixture<SandboxWorker>
{
    private readonly SandboxWorker _worker;

    public HostRoutingTests(SandboxWorker worker)
    {
        _worker = worker;
        _worker.Reset();
        Vault.SeedDue(_worker.Sandbox);
    }

    public static TheoryData<string, string> Functions => new()
    {
        { "POST", "api/token/refresh" },
        { "GET", "api/token/status" },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task A_request_without_a_function_key_is_refused_401_by_the_host_and_runs_nothing(string method, string path)
    {
        var refused = await _worker.Host.SendAsync(new HttpMethod(method), path);

        AssertRefused(refused, 401);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task A_wrong_key_or_another_functions_key_is_refused_401(string method, string path)
    {
        var other = path.EndsWith("refresh", StringComparison.Ordinal) ? FunctionsApp.TokenStatus : FunctionsApp.RefreshOnDemand;

        var wrong = await _worker.Host.SendAsync(new HttpMethod(method), path, "not-a-key");
        var borrowed = await _worker.Host.SendAsync(new HttpMethod(method), path + "?code=" + Uri.EscapeDataString(_worker.Host.FunctionKey(other)));

        AssertRefused(wrong, 401);
        AssertRefused(borrowed, 401);
    }

    [Fact]
    public async Task The_functions_key_in_the_code_parameter_or_the_host_key_in_the_header_is_admitted()
    {
        Vault.SeedFresh(_worker.Sandbox);

        var byCode = await _worker.Host.SendAsync(HttpMethod.Get, "api/token/status?code=" + Uri.EscapeDataString(_worker.Host.FunctionKey(FunctionsApp.TokenStatus)));
        var byHostKey = await _worker.Host.SendAsync(HttpMethod.Get, "api/token/status", _worker.Host.HostKey);

        Assert.All(new[] { byCode, byHostKey }, answer =>
        {
            Assert.True(answer.Forwarded);
            Assert.Equal(FunctionsApp.TokenStatus, answer.Function);
            Assert.Equal(200, answer.Answer.StatusCode);
        });
    }

    /// <summary>
    /// The method is part of a function's route in the host, so a method the function does not declare matches no route:
    /// the host answers 404 and forwards nothing (as Azure does: azure-functions-host#10098, #11625), whatever the key.
    /// </summary>
    [Theory]
    [InlineData("GET", "api/token/refresh")]
    [InlineData("PUT", "api/token/refresh")]
    [InlineData("POST", "api/token/status")]
    public async Task A_method_the_function_does_not_declare_matches_no_route_and_is_refused_by_the_hosts_routing(string method, string path)
    {
        var refused = await _worker.Host.SendAsync(new HttpMethod(method), path, _worker.Host.HostKey);

        AssertRefused(refused, 404);
    }

    [Theory]
    [InlineData("POST", "api/token")]
    [InlineData("POST", "token/refresh")]
    [InlineData("GET", "api/token/status/extra")]
    public async Task A_path_outside_every_route_and_the_route_prefix_is_404(string method, string path)
    {
        var refused = await _worker.Host.SendAsync(new HttpMethod(method), path, _worker.Host.HostKey);

        AssertRefused(refused, 404);
    }

    private void AssertRefused(HttpInvocation answer, int status)
    {
        Assert.Equal(status, answer.Answer.StatusCode);
        Assert.False(answer.Forwarded);
        Assert.Equal(0, _worker.Sandbox.Welkin.Counters.TokenRequests);
        Assert.Equal(0, _worker.Sandbox.KeyVault.Counters.Reads + _worker.Sandbox.KeyVault.Counters.Writes);
    }
}
