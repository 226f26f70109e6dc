using System.Reflection;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>
/// A key under Welkin, KeyVault, Refresh or Welkin:Clients:{name} that no option binds is reported by key, with the one
/// known key it is close to; the known keys are the options types' own settable properties.
/// </summary>
public sealed class UnknownSettingsTests
{
    private static IReadOnlyList<UnknownSetting> Find(params (string Key, string Value)[] extra)
    {
        var settings = TestSettings.Valid();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return UnknownSettings.Find(TestSettings.Build(settings));
    }

    public static TheoryData<string, string> Typos => new()
    {
        // A required key, an optional key and a named client's key, as environment variables spell them.
        { "Welkin__ApiClinet", "Welkin:ApiClient" },
        { "Refresh__RefreshAftr", "Refresh:RefreshAfter" },
        { "Welkin__Clients__live__Tenent", "Welkin:Clients:live:Tenant" },
        { "KeyVault__VaultUrl", "KeyVault:VaultUri" },
        { "Welkin__Clients__live__SecretNmae", "Welkin:Clients:live:SecretName" },
    };

    [Theory]
    [MemberData(nameof(Typos))]
    public void A_typo_is_reported_by_key_with_the_setting_it_was_meant_to_be(string variable, string meant)
    {
        var key = variable.Replace("__", ":", StringComparison.Ordinal);

        var unknown = Assert.Single(Find((key, "s3cr3t-value")));

        Assert.Equal(new UnknownSetting(key, meant), unknown);
        Assert.Equal($"{key} (environment variable {variable}) is not a setting of this app and has no effect; did you mean {meant}?", unknown.ToString());
        Assert.DoesNotContain("s3cr3t-value", unknown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_far_from_every_setting_is_reported_without_a_guess()
    {
        Assert.Equal([new UnknownSetting("Refresh:Cadence", null)], Find(("Refresh:Cadence", "5")));
        Assert.Equal("Refresh:Cadence (environment variable Refresh__Cadence) is not a setting of this app and has no effect.", Find(("Refresh:Cadence", "5"))[0].ToString());
    }

    [Fact]
    public void Only_a_single_nearest_setting_is_suggested()
    {
        Assert.Equal([new UnknownSetting("Welkin:Apx", "Welkin:Api")], Find(("Welkin:Apx", "x")));
        Assert.Null(UnknownSettings.Nearest("Ab", ["Aa", "Ac"]));
        Assert.Equal("Aa", UnknownSettings.Nearest("Ab", ["Aa", "Xyz"]));
        Assert.Equal("Aa", UnknownSettings.Nearest("Ab", ["Ac1", "Aa"]));
        // Two edits away is close enough; three is not.
        Assert.Equal("Axyd", UnknownSettings.Nearest("Abcd", ["Axyd"]));
        Assert.Null(UnknownSettings.Nearest("Abcd", ["Axyz"]));
    }

    [Fact]
    public void Every_setting_the_options_bind_is_known_in_any_case_and_nothing_else_is_looked_at()
    {
        var settings = new List<(string, string)>();
        foreach (var property in Settable(typeof(WelkinOptions)))
        {
            settings.Add(($"Welkin:{property}", "x"));
            settings.Add(($"WELKIN:CLIENTS:live:{property.ToUpperInvariant()}", "x"));
        }

        foreach (var property in Settable(typeof(TokenVaultOptions)))
        {
            settings.Add(($"KeyVault:{property}", "x"));
            settings.Add(($"Welkin:Clients:live:{property}", "x"));
        }

        settings.AddRange(Settable(typeof(KeyVaultOptions)).Select(property => ($"keyvault:{property.ToLowerInvariant()}", "x")));
        settings.AddRange(Settable(typeof(RefreshOptions)).Select(property => ($"Refresh:{property}", "x")));
        // Outside the refresher's sections: not its business (AzureWebJobsStorage, Logging, the host's own settings).
        settings.AddRange([("AzureWebJobsStorage", "x"), ("Logging:LogLevel:Default", "Trace"), ("Welkinx:Foo", "x"), ("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated")]);

        Assert.True(settings.Count > 20);
        Assert.Empty(Find([.. settings]));
    }

    [Fact]
    public void What_is_not_a_setting_is_unknown_even_where_a_type_has_it()
    {
        // Internal members and computed properties are not configuration; KeyVault's emulator switch is not per client.
        Assert.Equal(
            ["Welkin:RetryBaseDelay", "Welkin:TokenEndpoint", "Welkin:Clients:live:Clients", "Welkin:Clients:live:DisableChallengeResourceVerification", "KeyVault:Keys"],
            Find(("Welkin:RetryBaseDelay", "00:00:00"), ("Welkin:TokenEndpoint", "x"), ("Welkin:Clients:live:DisableChallengeResourceVerification", "true"),
                ("Welkin:Clients:live:Clients", "x"), ("KeyVault:Keys", "x")).Select(u => u.Key));
    }

    [Theory]
    [InlineData("ApiClinet", "ApiClient", 1)]
    [InlineData("RefreshAftr", "RefreshAfter", 1)]
    [InlineData("tenent", "Tenant", 1)]
    [InlineData("Secert", "Secret", 1)]
    [InlineData("Timeuot", "Timeout", 1)]
    [InlineData("BaseUri", "BaseUrl", 1)]
    [InlineData("ApiKlient", "ApiClient", 1)]
    [InlineData("Apiclinet", "ApiClient", 1)]
    [InlineData("AClient", "ApiClient", 2)]
    [InlineData("Schedule", "schedule", 0)]
    [InlineData("", "Api", 3)]
    [InlineData("abc", "", 3)]
    public void Distance_counts_insertions_deletions_replacements_and_swaps_ignoring_case(string a, string b, int distance)
    {
        Assert.Equal(distance, UnknownSettings.Distance(a, b));
        Assert.Equal(distance, UnknownSettings.Distance(b, a));
    }

    private static IEnumerable<string> Settable(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name);
}
