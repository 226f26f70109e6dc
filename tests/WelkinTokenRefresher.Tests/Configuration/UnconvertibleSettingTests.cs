using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Configuration;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>
/// A value the binder cannot convert stops start-up naming the setting and the type it needs, and never repeats the
/// value: it may be the secret pasted into the wrong setting.
/// </summary>
public sealed class UnconvertibleSettingTests
{
    // Quotes and the binder's own words inside, so the setting cannot be found by cutting the message apart.
    private const string Pasted = "s3cr3t' at 'Refresh:RefreshAfter' to type 'x";

    private static ServiceProvider With(string key, string value)
    {
        var settings = TestSettings.Valid();
        settings[key] = value;
        settings["Welkin:Clients:eu:ApiClient"] = "eu-client";
        settings["Welkin:Clients:eu:Secret"] = "eu-secret";
        return new ServiceCollection().AddWelkinTokenRefresher(TestSettings.Build(settings)).BuildServiceProvider();
    }

    private static string Expected(string key, string type) =>
        $"{key} has a value that cannot be read as {type} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}). The value is not shown: it may be a secret.";

    [Fact]
    public void An_app_wide_setting_that_cannot_be_converted_stops_start_up_naming_key_and_type()
    {
        using var provider = With("Refresh:RefreshAfter", Pasted);

        var failure = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(Expected("Refresh:RefreshAfter", "TimeSpan"), failure.Message);
        Assert.Null(failure.InnerException);
        Assert.DoesNotContain("s3cr3t", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Welkin:Timeout", "TimeSpan", new[] { "default", "eu" })]
    [InlineData("Welkin:MaxTokenRequestsPer5Minutes", "Int32", new[] { "default", "eu" })]
    [InlineData("Welkin:Clients:eu:Timeout", "TimeSpan", new[] { "eu" })]
    public void A_client_setting_that_cannot_be_converted_is_that_clients_problem_named_by_key_and_type(string key, string type, string[] affected)
    {
        using var provider = With(key, Pasted);
        var clients = provider.GetRequiredService<ConfiguredClients>();

        foreach (var client in clients.All)
        {
            Assert.Equal(affected.Contains(client.Name) ? [Expected(key, type)] : [], client.Problems(ClientUse.Refresh));
        }

        var startup = StartupValidation.Failures(provider);
        Assert.Equal(affected.Length == 2 ? [Expected(key, type)] : [], startup);
        Assert.All(startup, f => Assert.DoesNotContain("s3cr3t", f, StringComparison.Ordinal));
    }

    [Fact]
    public void A_binder_message_without_a_known_key_or_type_still_names_the_section_and_nothing_else()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Refresh:Other"] = "x" }).Build().GetSection("Refresh");

        Assert.Equal(
            "A setting under Refresh has a value that cannot be read as the type it needs. The value is not shown: it may be a secret.",
            UnconvertibleSetting.Describe("Failed to convert configuration value 's3cr3t' somewhere.", section, section.Path));
        Assert.Equal(
            "A setting under Refresh has a value that cannot be read as My.Options.Kind. The value is not shown: it may be a secret.",
            UnconvertibleSetting.Describe("Failed to convert configuration value 's3cr3t' at 'Refresh:Gone' to type 'My.Options.Kind'.", section, section.Path));
    }

    [Fact]
    public void Values_of_the_right_type_bind_as_before()
    {
        var settings = TestSettings.Valid();
        settings["Refresh:RefreshAfter"] = "00:40:00";
        settings["Welkin:MaxTokenRequestsPer5Minutes"] = "7";
        using var provider = new ServiceCollection().AddWelkinTokenRefresher(TestSettings.Build(settings)).BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(40), provider.GetRequiredService<IOptions<RefreshOptions>>().Value.RefreshAfter);
        Assert.Equal(7, provider.GetRequiredService<IOptionsMonitor<WelkinOptions>>().Get(WelkinClientSettings.DefaultName).MaxTokenRequestsPer5Minutes);
    }
}
