namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>Bad client lists fail the deployment (before anything is created) with a message naming what is wrong.</summary>
public sealed class MultiClientValidationTests
{
    private const string Header = """
        using '../../../infra/main.bicep'
        param environmentName = 'welkin-test'
        param location = 'westeurope'
        param welkinApiClient = 'fake-default-key'
        param welkinSecret = 'fake-default-secret'

        """;

    [Theory]
    [InlineData("[{ name: 'Live' }]", "welkinClients: invalid client name(s) Live")]
    [InlineData("[{ name: 'live-eu' }]", "welkinClients: invalid client name(s) live-eu: use 1-40 lower-case letters and digits (App Service app setting names take no hyphens)")]
    [InlineData("[{ name: 'default' }]", "welkinClients: invalid client name(s) default")]
    [InlineData("[{ name: '' }]", "welkinClients: invalid client name(s) :")]
    [InlineData("[{ name: 'live', api: 'oauth' }]", "welkinClients: unknown api of client(s) live: use auth-token or api-clients")]
    [InlineData("[{ name: 'live' }, { name: 'live' }]", "welkinClients: duplicate client name(s) live")]
    [InlineData("[{ name: 'live', secretName: 'welkin-api-token' }]", "welkinClients: token secret name(s) welkin-api-token used by more than one client")]
    [InlineData("[{ name: 'a', secretName: 'shared' }, { name: 'b', secretName: 'shared' }]", "welkinClients: token secret name(s) shared used by more than one client")]
    public void Invalid_client_lists_fail_with_a_message_naming_the_problem(string clients, string message)
    {
        var error = BicepSnapshot.FailureOf(Header + $"param welkinClients = {clients}\n");
        Assert.Contains(message, error, StringComparison.Ordinal);
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
}
