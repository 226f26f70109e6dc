using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class ParameterTests(BicepFixture bicep)
{
    /// <summary>The configuration table of issue 2: main.bicep parameter, app setting, default.</summary>
    public static TheoryData<string, string, string> ConfigurationTable => new()
    {
        { "welkinBaseUrl", "Welkin__BaseUrl", "https://api.welkinhealth.com" },
        { "welkinTokenPath", "Welkin__TokenPath", "/auth/token" },
        { "welkinTimeout", "Welkin__Timeout", "00:00:15" },
        { "welkinMaxTokenRequestsPer5Minutes", "Welkin__MaxTokenRequestsPer5Minutes", "10" },
        { "tokenSecretName", "KeyVault__SecretName", "welkin-api-token" },
        { "refreshSchedule", "Refresh__Schedule", "0 */5 * * * *" },
        { "refreshAfter", "Refresh__RefreshAfter", "00:50:00" },
        { "refreshBeforeExpiry", "Refresh__RefreshBeforeExpiry", "00:10:00" },
        { "minForceInterval", "Refresh__MinForceInterval", "00:01:00" },
    };

    [Theory]
    [MemberData(nameof(ConfigurationTable))]
    public void Each_configuration_setting_is_a_parameter_with_the_contract_default_and_reaches_the_app(
        string parameter, string appSetting, string expectedDefault)
    {
        Assert.Equal(expectedDefault, bicep.Template.Parameter(parameter).GetProperty("defaultValue").ToString());

        var functionApp = bicep.Template.ModuleNamed("functionapp");
        var setting = FunctionAppTests.AppSettings(bicep.Template)[appSetting];
        var moduleParameter = Assert.Single(ArmTemplate.ParametersIn(setting));
        Assert.Equal([parameter], ArmTemplate.ParametersIn(functionApp.PassedValue(moduleParameter)));
    }

    [Theory]
    [InlineData("welkinApiClient")]
    [InlineData("welkinSecret")]
    public void Welkin_credentials_are_secure_parameters_without_defaults(string parameter)
    {
        var declaration = bicep.Template.Parameter(parameter);
        Assert.Equal("securestring", declaration.GetProperty("type").GetString());
        Assert.False(declaration.TryGetProperty("defaultValue", out _));
        Assert.Equal("securestring", bicep.Template.ModuleNamed("vaults").Parameter(parameter).GetProperty("type").GetString());
    }

    [Fact]
    public void Named_client_credentials_are_a_secure_object_that_defaults_to_none()
    {
        var declaration = bicep.Template.Parameter("welkinClientCredentials");
        Assert.Equal("secureObject", declaration.GetProperty("type").GetString());
        Assert.Empty(declaration.GetProperty("defaultValue").EnumerateObject());
        Assert.Equal("secureObject", bicep.Template.ModuleNamed("vaults").Parameter("welkinClientCredentials").GetProperty("type").GetString());
        Assert.Equal("[parameters('welkinClientCredentials')]", bicep.Template.ModuleNamed("vaults").PassedValue("welkinClientCredentials"));
    }

    [Fact]
    public void Optional_features_default_off_and_consumers_default_to_none()
    {
        Assert.False(bicep.Template.Parameter("enableTokenEvents").GetProperty("defaultValue").GetBoolean());
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

        // Secrets come from the azd environment (prompted or CI secrets), never from the file itself.
        var parameters = file.RootElement.GetProperty("parameters");
        Assert.Equal("${WELKIN_API_CLIENT}", parameters.GetProperty("welkinApiClient").GetProperty("value").GetString());
        Assert.Equal("${WELKIN_SECRET}", parameters.GetProperty("welkinSecret").GetProperty("value").GetString());
    }
}
