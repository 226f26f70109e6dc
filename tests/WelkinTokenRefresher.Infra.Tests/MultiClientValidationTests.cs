namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// Bad client lists fail the deployment as its parameters are evaluated, before anything is created, with one message
/// naming every problem (issue 17, item 8: client names and secret names against Key Vault's rules).
/// </summary>
public sealed class MultiClientValidationTests
{
    private const string Header = """
        using '../../../infra/main.bicep'
        param environmentName = 'welkin-test'
        param location = 'westeurope'

        """;

    [Theory]
    [InlineData("param welkinClients = [{ name: 'Live' }]", "welkinClients: invalid client name(s) Live")]
    [InlineData("param welkinClients = [{ name: 'live-eu' }]", "welkinClients: invalid client name(s) live-eu: use 1-40 lower-case letters and digits (App Service app setting names take no hyphens)")]
    [InlineData("param welkinClients = [{ name: 'default' }]", "welkinClients: invalid client name(s) default")]
    [InlineData("param welkinClients = [{ name: '' }]", "welkinClients: invalid client name(s) :")]
    [InlineData("param welkinClients = [{ name: 'abcdefghijklmnopqrstuvwxyz0123456789abcde' }]", "welkinClients: invalid client name(s) abcdefghijklmnopqrstuvwxyz0123456789abcde")]
    [InlineData("param welkinClients = [{ name: 'live', api: 'oauth' }]", "welkinClients: unknown api of client(s) live: use auth-token or api-clients")]
    [InlineData("param welkinClients = [{ name: 'live', api: 'api-clients' }]", "welkinClients: client(s) live use the api-clients API without a tenant: set their tenant, or welkinTenant")]
    [InlineData("param welkinClients = [{ name: 'live', baseURL: 'https://x.example' }]", "welkinClients: unknown client setting(s) baseURL: use name, api, tenant, baseUrl, tokenPath, secretName, timeout, maxTokenRequestsPer5Minutes")]
    [InlineData("param welkinClients = [{ name: 'live' }, { name: 'live' }]", "welkinClients: duplicate client name(s) live")]
    [InlineData("param welkinClients = [{ name: 'live', secretName: 'welkin-api-token' }]", "welkinClients: token secret name(s) welkin-api-token used by more than one client")]
    [InlineData("param welkinClients = [{ name: 'a', secretName: 'shared' }, { name: 'b', secretName: 'shared' }]", "welkinClients: token secret name(s) shared used by more than one client")]
    [InlineData("param welkinClients = [{ name: 'live', secretName: 'Welkin-API-Token' }]", "welkinClients: token secret name(s) welkin-api-token, Welkin-API-Token used by more than one client")]
    [InlineData("param welkinClients = [{ name: 'live', secretName: 'welkin_live' }]", "tokenSecretName/welkinClients: invalid token secret name(s) welkin_live: Key Vault takes 1-127 letters, digits and hyphens")]
    [InlineData("param welkinClients = [{ name: 'live', secretName: '' }]", "tokenSecretName/welkinClients: invalid token secret name(s) :")]
    [InlineData("param tokenSecretName = 'welkin.token'", "tokenSecretName/welkinClients: invalid token secret name(s) welkin.token")]
    [InlineData("param welkinApi = 'api-clients'", "welkinTenant: the default client uses the api-clients API (welkinApi), which needs a tenant: set welkinTenant")]
    [InlineData("param defaultClientEnabled = false", "welkinClients: no client at all: keep defaultClientEnabled=true or name at least one client in welkinClients")]
    public void Invalid_parameters_fail_with_a_message_naming_the_problem(string parameters, string message)
    {
        var error = BicepSnapshot.FailureOf(Header + parameters + "\n");
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_name_of_127_characters_is_valid_and_one_of_128_is_not()
    {
        var longest = new string('a', 127);
        Assert.Contains(longest, BicepSnapshot.Of(Header + $"param tokenSecretName = '{longest}'\n").AppSettings["KeyVault__SecretName"], StringComparison.Ordinal);
        Assert.Contains("invalid token secret name(s) a", BicepSnapshot.FailureOf(Header + $"param tokenSecretName = '{longest}a'\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_named_in_one_message()
    {
        var error = BicepSnapshot.FailureOf(Header + "param welkinClients = [{ name: 'Live' }, { name: 'ok', api: 'oauth', secretName: 'a b' }]\n");
        Assert.Contains("invalid client name(s) Live", error, StringComparison.Ordinal);
        Assert.Contains("unknown api of client(s) ok", error, StringComparison.Ordinal);
        Assert.Contains("invalid token secret name(s) a b", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grant_for_an_unknown_client_fails_naming_it()
    {
        var error = BicepSnapshot.FailureOf(Header + """
            param welkinClients = [{ name: 'live' }]
            param consumerGrants = [{ principalId: '22222222-2222-2222-2222-222222222222', clients: ['live', 'prod'] }]
            """);
        Assert.Contains("consumerGrants: unknown client(s) prod; use \"default\" or a name of welkinClients", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_default_client_a_grant_for_default_is_unknown()
    {
        var error = BicepSnapshot.FailureOf(Header + """
            param defaultClientEnabled = false
            param welkinClients = [{ name: 'live' }]
            param consumerGrants = [{ principalId: '22222222-2222-2222-2222-222222222222', clients: ['default'] }]
            """);
        Assert.Contains("consumerGrants: unknown client(s) default; use a name of welkinClients", error, StringComparison.Ordinal);
    }
}
