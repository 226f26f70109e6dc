using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

[Collection(CompiledBicep.Name)]
public sealed class SecretHygieneTests(BicepFixture bicep)
{
    private static readonly string[] SecureParameters = ["welkinApiClient", "welkinSecret", "welkinClientCredentials"];

    private static readonly string[] AllowedSecretSinks = ["vaults", "Microsoft.KeyVault/vaults/secrets"];

    // ARM's list* functions (listKeys, listSecrets, ...) return keys and secrets.
    private const string ListFunction = @"(?<![\w.])list\w*\(";

    [Theory]
    [InlineData("listKeys")]
    [InlineData("listSecrets")]
    [InlineData("listConnectionStrings")]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessKey")]
    [InlineData("SharedAccessSignature")]
    [InlineData("InstrumentationKey=")]
    [InlineData("primaryKey")]
    [InlineData("primaryMasterKey")]
    public void Template_never_reads_or_embeds_keys(string marker)
    {
        var text = bicep.Document.RootElement.GetRawText();
        Assert.DoesNotContain(marker, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ListFunction, text);
    }

    [Fact]
    public void No_output_of_any_template_is_secure_or_derived_from_a_secret()
    {
        foreach (var template in bicep.Template.AllTemplates)
        {
            if (template.Outputs.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var output in template.Outputs.EnumerateObject())
            {
                var type = output.Value.GetProperty("type").GetString()!;
                Assert.DoesNotContain("secure", type, StringComparison.OrdinalIgnoreCase);
                // A loop output (copy) has its expression under copy.input instead of value.
                var value = output.Value.TryGetProperty("copy", out var copy) ? copy.GetProperty("input").ToString() : output.Value.GetProperty("value").ToString();
                Assert.DoesNotContain(ArmTemplate.ParametersIn(value), SecureParameters.Contains);
                Assert.DoesNotMatch(ListFunction, value);
            }
        }
    }

    [Fact]
    public void Secure_parameters_flow_only_into_key_vault_secrets()
    {
        foreach (var template in bicep.Template.AllTemplates)
        {
            foreach (var resource in template.OwnResources)
            {
                var text = resource.Type == "Microsoft.Resources/deployments"
                    ? resource.Properties.GetProperty("parameters").GetRawText()
                    : resource.Element.GetRawText();
                if (ArmTemplate.ParametersIn(text).Intersect(SecureParameters).Any())
                {
                    Assert.Contains(resource.Type == "Microsoft.Resources/deployments" ? resource.Name : resource.Type, AllowedSecretSinks);
                }
            }
        }
    }
}
