using Microsoft.Extensions.DependencyInjection;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.DependencyInjection;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>
/// The validators as <see cref="WelkinTokenRefresherServiceCollectionExtensions.AddWelkinTokenRefresher"/> wires them:
/// ValidateOnStart makes a bad setting stop the host with a message naming the key.
/// </summary>
public sealed class StartupValidationTests
{
    /// <summary>What start-up reports, and every client's own problems (an invalid client does not stop the others).</summary>
    private static IReadOnlyList<string> FailuresWith(Action<Dictionary<string, string?>> change)
    {
        var settings = TestSettings.Valid();
        change(settings);
        using var provider = new ServiceCollection().AddWelkinTokenRefresher(TestSettings.Build(settings)).BuildServiceProvider();
        return [.. StartupValidation.Failures(provider).Union(provider.GetRequiredService<ConfiguredClients>().All.SelectMany(c => c.Problems(ClientUse.Refresh)))];
    }

    [Fact]
    public void Valid_settings_pass_startup_validation()
    {
        Assert.Empty(FailuresWith(_ => { }));
    }

    [Theory]
    [InlineData("Welkin:ApiClient", "Welkin__ApiClient")]
    [InlineData("Welkin:Secret", "Welkin__Secret")]
    [InlineData("KeyVault:VaultUri", "KeyVault__VaultUri")]
    public void Each_missing_required_key_fails_with_its_name_and_environment_variable(string key, string envVar)
    {
        var failure = Assert.Single(FailuresWith(s => s.Remove(key)));
        Assert.StartsWith(key + " ", failure, StringComparison.Ordinal);
        Assert.Contains(envVar, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void All_required_keys_missing_reports_each_of_them()
    {
        var failures = FailuresWith(s => s.Clear());
        Assert.Contains(failures, f => f.StartsWith("Welkin:ApiClient ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Welkin:Secret ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("KeyVault:VaultUri ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("KeyVault:VaultUri", "not a url")]
    [InlineData("KeyVault:VaultUri", "http://example.vault.azure.net/")]
    [InlineData("Welkin:BaseUrl", "welkin.example")]
    [InlineData("Refresh:Schedule", "*/5 * * * *")]
    [InlineData("Refresh:RefreshAfter", "-00:10:00")]
    [InlineData("Refresh:RefreshBeforeExpiry", "-00:10:00")]
    [InlineData("Refresh:MinForceInterval", "-00:01:00")]
    [InlineData("Refresh:MinForceInterval", "00:50:00")]
    [InlineData("Welkin:MaxTokenRequestsPer5Minutes", "0")]
    [InlineData("Welkin:MaxTokenRequestsPer5Minutes", "101")]
    public void Invalid_value_fails_with_its_key(string key, string value)
    {
        var failures = FailuresWith(s => s[key] = value);
        Assert.Contains(failures, f => f.StartsWith(key + " ", StringComparison.Ordinal) && f.Contains(key.Replace(":", "__", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("KeyVault:SecretName")]
    [InlineData("KeyVault:VaultUri")]
    [InlineData("Welkin:BaseUrl")]
    [InlineData("Welkin:TokenPath")]
    [InlineData("Welkin:Api")]
    [InlineData("Refresh:Schedule")]
    [InlineData("Welkin:Clients:eu:SecretName")]
    public void The_secret_pasted_into_a_text_setting_is_refused_by_key_and_never_repeated(string key)
    {
        const string secret = "wk_s3cr3t value/with:odd*chars";
        var failures = FailuresWith(s =>
        {
            s["Welkin:Clients:eu:ApiClient"] = "eu-client";
            s["Welkin:Clients:eu:Secret"] = "eu-secret";
            s[key] = secret;
        });

        // A Welkin setting inherited by the named client fails there under the inherited key: one message per problem.
        Assert.Contains(failures, f => f.StartsWith(key + " ", StringComparison.Ordinal)
            && f.EndsWith($"; the value given is not shown, as it may be a secret (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}).", StringComparison.Ordinal));
        Assert.All(failures, f => Assert.DoesNotContain("s3cr3t", f, StringComparison.Ordinal));
        Assert.Equal(failures.Count, failures.Distinct().Count());
    }
}
