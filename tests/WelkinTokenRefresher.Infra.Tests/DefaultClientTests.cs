namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// Every client setting is a parameter (issue 19, item 5): the default client on either API, named clients with every
/// setting of their own, and deployments with named clients only.
/// </summary>
public sealed class DefaultClientTests
{
    private const string Group = BicepSnapshot.ResourceGroupId;

    [Fact]
    public void The_default_client_can_use_the_api_clients_api()
    {
        var settings = Deployments.DefaultClientOnApiClients.AppSettings;
        Assert.Equal("api-clients", settings["Welkin__Api"]);
        Assert.Equal("acme", settings["Welkin__Tenant"]);
        Assert.Equal("https://api.live.welkincloud.io", settings["Welkin__BaseUrl"]);
        Assert.Contains("Welkin__ApiClient", settings.Keys);
        Assert.Contains("Welkin__Secret", settings.Keys);
        Assert.Equal("welkin-live-token", Deployments.DefaultClientOnApiClients.Output("TOKEN_SECRET_NAME"));
    }

    [Fact]
    public void With_named_clients_only_the_app_has_no_default_client_and_no_default_vault()
    {
        var snapshot = Deployments.NamedClientsOnly;
        var settings = snapshot.AppSettings;

        // No default client: no credentials of the Welkin section, no token vault or secret of its own...
        Assert.DoesNotContain(settings.Keys, k => k is "Welkin__ApiClient" or "Welkin__Secret" or "KeyVault__VaultUri" or "KeyVault__SecretName");
        Assert.DoesNotContain(snapshot.NamesOf("Microsoft.KeyVault/vaults"), v => v == "kvt-4yfan3patq3vg");
        Assert.Equal(["kvc-4yfan3patq3vg", "kvtlive-yd47ivvow6gii", "kvtstaging-dxbtucyl5nnrm"], snapshot.NamesOf("Microsoft.KeyVault/vaults"));

        // ...but what the named clients inherit is still written.
        Assert.Equal("api-clients", settings["Welkin__Api"]);
        Assert.Equal("acme", settings["Welkin__Tenant"]);
        Assert.Equal("https://api.live.welkincloud.io", settings["Welkin__BaseUrl"]);

        Assert.Equal(string.Empty, snapshot.Output("TOKEN_VAULT_NAME"));
        Assert.Equal(string.Empty, snapshot.Output("TOKEN_SECRET_NAME"));
        Assert.Equal(["live", "staging"], TokenVaultTests.TokenVaultOutput(snapshot).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_named_client_sets_every_setting_of_its_own_and_inherits_only_what_it_leaves_out()
    {
        var settings = Deployments.NamedClientsOnly.AppSettings;
        var staging = settings.Where(s => s.Key.StartsWith("Welkin__Clients__staging__", StringComparison.Ordinal)).ToDictionary(s => s.Key["Welkin__Clients__staging__".Length..], s => s.Value);
        Assert.Equal(["ApiClient", "BaseUrl", "MaxTokenRequestsPer5Minutes", "Secret", "SecretName", "Tenant", "Timeout", "VaultUri"], staging.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("acme-stg", staging["Tenant"]);
        Assert.Equal("https://api.stg.welkincloud.io", staging["BaseUrl"]);
        Assert.Equal("00:00:30", staging["Timeout"]);
        Assert.Equal("5", staging["MaxTokenRequestsPer5Minutes"]);
        Assert.Equal("welkin-api-token-staging", staging["SecretName"]);

        // live sets nothing but its name: its credentials, vault and secret are still its own, never inherited.
        var live = settings.Keys.Where(k => k.StartsWith("Welkin__Clients__live__", StringComparison.Ordinal)).Select(k => k["Welkin__Clients__live__".Length..]);
        Assert.Equal(["ApiClient", "Secret", "SecretName", "VaultUri"], live.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Grants_of_a_named_only_deployment_land_on_the_granted_clients_vault()
    {
        var grant = Assert.Single(Deployments.NamedClientsOnly.RoleAssignments, a => a.Principal == "22222222-2222-2222-2222-222222222222");
        Assert.Equal($"{Group}/providers/Microsoft.KeyVault/vaults/kvtstaging-dxbtucyl5nnrm", grant.Scope);
    }
}
