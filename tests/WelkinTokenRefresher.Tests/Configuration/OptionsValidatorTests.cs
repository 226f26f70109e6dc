using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>The three validators on their own: each rule, and messages that name the key and its environment variable.</summary>
public sealed class OptionsValidatorTests
{
    private static WelkinOptions ValidWelkin() => new() { ApiClient = "client", Secret = "secret" };

    private static string SingleFailure(ValidateOptionsResult result)
    {
        Assert.True(result.Failed, "validation was expected to fail");
        return Assert.Single(result.Failures!);
    }

    [Fact]
    public void Valid_options_pass()
    {
        Assert.True(new WelkinOptionsValidator().Validate(null, ValidWelkin()).Succeeded);
        Assert.True(new TokenVaultOptionsValidator().Validate(null, new TokenVaultOptions { VaultUri = new Uri("https://example.vault.azure.net/") }).Succeeded);
        Assert.True(new RefreshOptionsValidator().Validate(null, new RefreshOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Welkin:ApiClient", "Welkin__ApiClient")]
    [InlineData("Welkin:Secret", "Welkin__Secret")]
    public void Missing_credential_names_key_and_environment_variable(string key, string envVar)
    {
        var options = ValidWelkin();
        if (key == "Welkin:ApiClient")
        {
            options.ApiClient = " ";
        }
        else
        {
            options.Secret = "";
        }

        var message = SingleFailure(new WelkinOptionsValidator().Validate(null, options));
        Assert.StartsWith(key + " ", message, StringComparison.Ordinal);
        Assert.Contains(envVar, message, StringComparison.Ordinal);
        Assert.Contains("required", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_vault_uri_names_key_and_environment_variable()
    {
        var message = SingleFailure(new TokenVaultOptionsValidator().Validate(null, new TokenVaultOptions()));
        Assert.StartsWith("KeyVault:VaultUri ", message, StringComparison.Ordinal);
        Assert.Contains("KeyVault__VaultUri", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("http://example.vault.azure.net/")]
    [InlineData("ftp://example.vault.azure.net/")]
    public void Malformed_or_plain_http_vault_uri_is_refused(string value)
    {
        var message = SingleFailure(new TokenVaultOptionsValidator().Validate(null, new TokenVaultOptions { VaultUri = new Uri(value, UriKind.RelativeOrAbsolute) }));
        Assert.Contains("KeyVault:VaultUri", message, StringComparison.Ordinal);
        Assert.Contains("https://", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://welkin.example")]
    public void Malformed_base_url_is_refused(string value)
    {
        var options = ValidWelkin();
        options.BaseUrl = new Uri(value, UriKind.RelativeOrAbsolute);
        var message = SingleFailure(new WelkinOptionsValidator().Validate(null, options));
        Assert.Contains("Welkin:BaseUrl", message, StringComparison.Ordinal);
        Assert.Contains("Welkin__BaseUrl", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_base_url_is_allowed_for_local_stand_ins()
    {
        var options = ValidWelkin();
        options.BaseUrl = new Uri("http://localhost:5080");
        Assert.True(new WelkinOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("auth/token")]
    public void Token_path_must_start_with_a_slash(string path)
    {
        var options = ValidWelkin();
        options.TokenPath = path;
        Assert.Contains("Welkin:TokenPath", SingleFailure(new WelkinOptionsValidator().Validate(null, options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void MaxTokenRequestsPer5Minutes_out_of_range_is_refused(int value)
    {
        var options = ValidWelkin();
        options.MaxTokenRequestsPer5Minutes = value;
        var message = SingleFailure(new WelkinOptionsValidator().Validate(null, options));
        Assert.Contains("Welkin:MaxTokenRequestsPer5Minutes", message, StringComparison.Ordinal);
        Assert.Contains("Welkin__MaxTokenRequestsPer5Minutes", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void MaxTokenRequestsPer5Minutes_at_its_bounds_is_accepted(int value)
    {
        var options = ValidWelkin();
        options.MaxTokenRequestsPer5Minutes = value;
        Assert.True(new WelkinOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(121)]
    public void Timeout_out_of_range_is_refused(int seconds)
    {
        var options = ValidWelkin();
        options.Timeout = TimeSpan.FromSeconds(seconds);
        Assert.Contains("Welkin:Timeout", SingleFailure(new WelkinOptionsValidator().Validate(null, options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("every five minutes")]
    [InlineData("*/5 * * * *")]
    [InlineData("0 */5 * * * * *")]
    [InlineData("00:05:00")]
    public void Invalid_cron_is_refused(string schedule)
    {
        var message = SingleFailure(new RefreshOptionsValidator().Validate(null, new RefreshOptions { Schedule = schedule }));
        Assert.StartsWith("Refresh:Schedule ", message, StringComparison.Ordinal);
        Assert.Contains("Refresh__Schedule", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RefreshAfter")]
    [InlineData("RefreshBeforeExpiry")]
    [InlineData("MinForceInterval")]
    public void Negative_windows_are_refused(string property)
    {
        var options = new RefreshOptions();
        typeof(RefreshOptions).GetProperty(property)!.SetValue(options, TimeSpan.FromMinutes(-1));

        var result = new RefreshOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith($"Refresh:{property} ", StringComparison.Ordinal) && f.Contains($"Refresh__{property}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(51)]
    public void MinForceInterval_not_shorter_than_RefreshAfter_is_refused(int minForceMinutes)
    {
        var options = new RefreshOptions { MinForceInterval = TimeSpan.FromMinutes(minForceMinutes) };
        var message = SingleFailure(new RefreshOptionsValidator().Validate(null, options));
        Assert.StartsWith("Refresh:MinForceInterval ", message, StringComparison.Ordinal);
        Assert.Contains("Refresh:RefreshAfter", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinForceInterval_just_below_RefreshAfter_and_zero_are_accepted()
    {
        Assert.True(new RefreshOptionsValidator().Validate(null, new RefreshOptions { MinForceInterval = TimeSpan.FromMinutes(49) }).Succeeded);
        Assert.True(new RefreshOptionsValidator().Validate(null, new RefreshOptions { MinForceInterval = TimeSpan.Zero }).Succeeded);
    }

    [Fact]
    public void RefreshBeforeExpiry_of_a_whole_token_lifetime_is_refused()
    {
        var message = SingleFailure(new RefreshOptionsValidator().Validate(null, new RefreshOptions { RefreshBeforeExpiry = TimeSpan.FromMinutes(55) }));
        Assert.StartsWith("Refresh:RefreshBeforeExpiry ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefreshAfter_shorter_than_a_tick_is_refused()
    {
        var message = SingleFailure(new RefreshOptionsValidator().Validate(null, new RefreshOptions { RefreshAfter = TimeSpan.FromMinutes(4), MinForceInterval = TimeSpan.FromMinutes(1) }));
        Assert.StartsWith("Refresh:RefreshAfter ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_secret_name_is_refused()
    {
        var message = SingleFailure(new TokenVaultOptionsValidator().Validate(null, new TokenVaultOptions { VaultUri = new Uri("https://example.vault.azure.net/"), SecretName = "has_underscore" }));
        Assert.StartsWith("KeyVault:SecretName ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_clients_without_a_tenant_names_Welkin_Tenant()
    {
        var options = ValidWelkin();
        options.Api = WelkinApiKinds.ApiClients;

        var message = SingleFailure(new WelkinOptionsValidator().Validate(null, options));

        Assert.StartsWith("Welkin:Tenant is required when Welkin:Api is 'api-clients'", message, StringComparison.Ordinal);
        Assert.Contains("Welkin__Tenant", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_api_names_Welkin_Api_and_both_values()
    {
        var options = ValidWelkin();
        options.Api = "oauth";

        var message = SingleFailure(new WelkinOptionsValidator().Validate(null, options));

        Assert.StartsWith("Welkin:Api must be 'auth-token'", message, StringComparison.Ordinal);
        Assert.Contains("'api-clients'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("oauth", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_clients_with_a_tenant_passes()
    {
        var options = ValidWelkin();
        options.Api = WelkinApiKinds.ApiClients;
        options.Tenant = "acme";

        Assert.True(new WelkinOptionsValidator().Validate(null, options).Succeeded);
    }
}
