namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// Credentials are written by a person once, never by CI (issue 19, item 6; issue 17, item 8): every credential parameter
/// is optional, an empty one leaves the vault's secret as it is (so it never becomes an empty secret), and the checks that
/// need the values run before anything is created. These snapshots evaluate the secure parameters (fake values only).
/// </summary>
public sealed class CredentialTests
{
    private static readonly Lazy<BicepSnapshot> Partial = new(() => BicepSnapshot.Of(
        BicepSnapshot.Parameters("""
            param welkinApiClient = ''
            param welkinSecret = 'fake-default-secret'
            param welkinClients = [{ name: 'live' }, { name: 'staging' }, { name: 'legacy' }]
            param welkinClientCredentials = {
              live: { apiClient: 'fake-live-key', secret: '' }
              staging: { apiClient: '' }
            }
            """),
        revealSecureParameters: true));

    private static IReadOnlyList<string> WrittenSecrets(BicepSnapshot snapshot) => snapshot.NamesOf("Microsoft.KeyVault/vaults/secrets");

    [Fact]
    public void Only_the_credentials_given_are_written_and_an_empty_one_leaves_the_secret_alone()
    {
        Assert.Equal(["welkin-api-client-live", "welkin-api-secret"], WrittenSecrets(Partial.Value));
        var secret = Partial.Value.Resource("Microsoft.KeyVault/vaults/secrets", "/secrets/welkin-api-secret").GetProperty("properties");
        Assert.Equal("fake-default-secret", secret.GetProperty("value").GetString());
        Assert.Equal("fake-live-key", Partial.Value.Resource("Microsoft.KeyVault/vaults/secrets", "/secrets/welkin-api-client-live").GetProperty("properties").GetProperty("value").GetString());
    }

    [Fact]
    public void A_deployment_without_any_credential_writes_no_secret_and_still_points_every_client_at_its_secrets()
    {
        // What CI deploys: no credential at all. The app still gets its Key Vault references; a secret nobody has written
        // yet is a reference that does not resolve, which the app reports as configuration-invalid, naming the setting.
        var snapshot = BicepSnapshot.Of(BicepSnapshot.Parameters("param welkinClients = [{ name: 'live' }]"), revealSecureParameters: true);
        Assert.Empty(WrittenSecrets(snapshot));
        var vaultUri = $"reference('{BicepSnapshot.ResourceGroupId}/providers/Microsoft.KeyVault/vaults/kvc-4yfan3patq3vg', '2023-07-01').vaultUri";
        Assert.Equal($"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', {vaultUri}, 'welkin-api-client')]", snapshot.AppSettings["Welkin__ApiClient"]);
        Assert.Equal($"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', {vaultUri}, 'welkin-api-secret')]", snapshot.AppSettings["Welkin__Secret"]);
        Assert.Equal($"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}}-{{2}})', {vaultUri}, 'welkin-api-client', 'live')]", snapshot.AppSettings["Welkin__Clients__live__ApiClient"]);
        Assert.Equal($"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}}-{{2}})', {vaultUri}, 'welkin-api-secret', 'live')]", snapshot.AppSettings["Welkin__Clients__live__Secret"]);
    }

    [Fact]
    public void Every_credential_parameter_is_optional()
    {
        // Only environmentName and location are required: a deployment runs with no credential parameter at all.
        var snapshot = BicepSnapshot.Of(BicepSnapshot.Parameters(string.Empty));
        Assert.Contains("Welkin__Secret", snapshot.AppSettings.Keys);
    }

    [Fact]
    public void Credentials_for_a_client_the_deployment_does_not_have_fail_before_anything_is_created()
    {
        var error = BicepSnapshot.FailureOf(
            BicepSnapshot.Parameters("""
                param welkinClients = [{ name: 'live' }]
                param welkinClientCredentials = { lvie: { apiClient: 'fake-key', secret: 'fake-secret' } }
                """),
            revealSecureParameters: true);
        Assert.Contains("credentials: welkinClientCredentials names client(s) lvie that welkinClients does not", error, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_credentials_without_a_default_client_fail_naming_the_parameters_never_the_values()
    {
        var error = BicepSnapshot.FailureOf(
            BicepSnapshot.Parameters("""
                param defaultClientEnabled = false
                param welkinClients = [{ name: 'live' }]
                param welkinSecret = 'fake-default-secret'
                """),
            revealSecureParameters: true);
        Assert.Contains("welkinApiClient or welkinSecret is set, but defaultClientEnabled is false", error, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-", error, StringComparison.Ordinal);
    }
}
