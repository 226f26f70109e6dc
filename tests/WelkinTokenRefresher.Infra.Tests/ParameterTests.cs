using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class ParameterTests(BicepFixture bicep)
{
    /// <summary>The configuration table: main.bicep parameter, app setting, default, and the value Deployments/api-clients-default.bicepparam gives.</summary>
    public static TheoryData<string, string, string, string> ConfigurationTable => new()
    {
        { "welkinApi", "Welkin__Api", "", "api-clients" },
        { "welkinTenant", "Welkin__Tenant", "", "acme" },
        { "welkinBaseUrl", "Welkin__BaseUrl", "https://api.welkinhealth.com", "https://api.live.welkincloud.io" },
        { "welkinTokenPath", "Welkin__TokenPath", "/auth/token", "/v2/auth/token" },
        { "welkinTimeout", "Welkin__Timeout", "00:00:15", "00:00:20" },
        { "welkinMaxTokenRequestsPer5Minutes", "Welkin__MaxTokenRequestsPer5Minutes", "10", "6" },
        { "tokenSecretName", "KeyVault__SecretName", "welkin-api-token", "welkin-live-token" },
        { "refreshSchedule", "Refresh__Schedule", "0 */5 * * * *", "0 */2 * * * *" },
        { "refreshAfter", "Refresh__RefreshAfter", "00:50:00", "00:40:00" },
        { "refreshBeforeExpiry", "Refresh__RefreshBeforeExpiry", "00:10:00", "00:15:00" },
        { "minForceInterval", "Refresh__MinForceInterval", "00:01:00", "00:02:00" },
    };

    [Theory]
    [MemberData(nameof(ConfigurationTable))]
    public void Each_configuration_setting_is_a_parameter_with_the_contract_default_and_reaches_the_app(
        string parameter, string appSetting, string expectedDefault, string given)
    {
        Assert.Equal(expectedDefault, bicep.Template.Parameter(parameter).GetProperty("defaultValue").ToString());
        Assert.Equal(given, Deployments.DefaultClientOnApiClients.AppSettings[appSetting]);
        if (expectedDefault.Length > 0)
        {
            Assert.Equal(expectedDefault, Deployments.SingleClient.AppSettings[appSetting]);
        }
        else
        {
            // Unset: not written, so the app keeps its own default (auth-token) and named clients inherit nothing.
            Assert.DoesNotContain(appSetting, Deployments.SingleClient.AppSettings.Keys);
        }
    }

    [Fact]
    public void The_default_clients_api_is_one_the_app_knows_or_unset()
    {
        Assert.Equal(["", "auth-token", "api-clients"], bicep.Template.Parameter("welkinApi").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("welkinApiClient")]
    [InlineData("welkinSecret")]
    public void Welkin_credentials_are_secure_parameters_that_default_to_empty(string parameter)
    {
        // Empty leaves the vault's secret as it is (CredentialTests): CI deploys without credentials.
        var declaration = bicep.Template.Parameter(parameter);
        Assert.Equal("securestring", declaration.GetProperty("type").GetString());
        Assert.Equal(string.Empty, declaration.GetProperty("defaultValue").GetString());
        Assert.Equal("securestring", bicep.Template.ModuleNamed("vaults").Parameter(parameter).GetProperty("type").GetString());
    }

    [Fact]
    public void Named_client_credentials_are_a_secure_object_that_defaults_to_none()
    {
        var declaration = bicep.Template.Parameter("welkinClientCredentials");
        Assert.Equal("secureObject", declaration.GetProperty("type").GetString());
        Assert.Empty(declaration.GetProperty("defaultValue").EnumerateObject());
        Assert.Equal("secureObject", bicep.Template.ModuleNamed("vaults").Parameter("welkinClientCredentials").GetProperty("type").GetString());
        // Passed as it is once the credential checks passed (CredentialTests): the check's failure is the only other outcome.
        var passed = bicep.Template.Deployment("vaults").Properties.GetProperty("parameters").GetProperty("welkinClientCredentials").GetString();
        Assert.Equal("[if(variables('credentialsChecked'), createObject('value', parameters('welkinClientCredentials')), createObject('value', createObject()))]", passed);
    }

    [Fact]
    public void Optional_features_default_off_and_consumers_default_to_none()
    {
        Assert.False(bicep.Template.Parameter("enableTokenEvents").GetProperty("defaultValue").GetBoolean());
        Assert.False(bicep.Template.Parameter("vnetEnabled").GetProperty("defaultValue").GetBoolean());
        Assert.True(bicep.Template.Parameter("defaultClientEnabled").GetProperty("defaultValue").GetBoolean());
        Assert.Equal(0, bicep.Template.Parameter("consumerPrincipalIds").GetProperty("defaultValue").GetArrayLength());
        Assert.Equal(0, bicep.Template.Parameter("consumerGrants").GetProperty("defaultValue").GetArrayLength());
        Assert.Equal(0, bicep.Template.Parameter("welkinClients").GetProperty("defaultValue").GetArrayLength());
        Assert.Equal(string.Empty, bicep.Template.Parameter("alertEmail").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void Azd_parameter_file_names_only_real_parameters_and_covers_every_required_one()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("infra", "main.parameters.json")));
        var mapped = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        var declared = bicep.Template.Root.GetProperty("parameters").EnumerateObject().ToList();

        Assert.Subset(declared.Select(p => p.Name).ToHashSet(), mapped);
        var required = declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name).ToHashSet();
        Assert.Subset(mapped, required);

        // Credentials come from the azd environment of the person who writes them, never from the file itself; unset
        // (CI, or anyone else's machine) they are empty, which leaves the vault's secrets as they are.
        var parameters = file.RootElement.GetProperty("parameters");
        Assert.Equal("${WELKIN_API_CLIENT=}", parameters.GetProperty("welkinApiClient").GetProperty("value").GetString());
        Assert.Equal("${WELKIN_SECRET=}", parameters.GetProperty("welkinSecret").GetProperty("value").GetString());
        Assert.Equal("${VNET_ENABLED=false}", parameters.GetProperty("vnetEnabled").GetProperty("value").GetString());
    }
}
