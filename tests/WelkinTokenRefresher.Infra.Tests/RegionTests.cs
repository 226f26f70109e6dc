namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>Only regions where Flex Consumption runs .NET isolated (issue 19, item 3).</summary>
[Collection(CompiledBicep.Name)]
public sealed class RegionTests(BicepFixture bicep)
{
    [Fact]
    public void Location_is_limited_to_flex_consumption_regions_and_azd_offers_only_those()
    {
        var location = bicep.Template.Parameter("location");
        var allowed = location.GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.Equal(31, allowed.Count);
        Assert.Contains("westeurope", allowed);
        Assert.Contains("eastus2", allowed);
        // The quickstart's list has the canary region, which ordinary subscriptions cannot deploy to.
        Assert.DoesNotContain("eastus2euap", allowed);
        Assert.Equal(allowed.Distinct().Order(StringComparer.Ordinal), allowed);
        Assert.Equal("location", location.GetProperty("metadata").GetProperty("azd").GetProperty("type").GetString());
    }

    [Fact]
    public void A_region_outside_the_list_fails_before_anything_is_created()
    {
        var error = BicepSnapshot.FailureOf(BicepSnapshot.Parameters(string.Empty).Replace("'westeurope'", "'westindia'", StringComparison.Ordinal));
        Assert.Contains("westindia", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_names_the_source_of_the_list_and_the_command_that_refreshes_it()
    {
        var section = Docs.Section("docs/deploy.md", "## Prerequisites");
        Assert.Contains("az functionapp list-flexconsumption-locations --runtime dotnet-isolated", section, StringComparison.Ordinal);
        Assert.Contains("Azure-Samples/functions-quickstart-dotnet-azd", section, StringComparison.Ordinal);
        var main = File.ReadAllText(RepoPaths.Combine("infra", "main.bicep"));
        Assert.Contains("Azure-Samples/functions-quickstart-dotnet-azd", main, StringComparison.Ordinal);
        Assert.Contains("AZURE_LOCATION", Docs.Section("docs/deploy.md", "## Changing the region"), StringComparison.Ordinal);
    }
}
