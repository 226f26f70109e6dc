using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Configuration;

/// <summary>The one key-naming rule: the key in force for a client, or where none is set, the key that sets it for that client alone.</summary>
public sealed class ClientKeysTests
{
    private static ClientKeys Keys(string client, params (string Key, string Value)[] settings) =>
        ClientKeys.Read(client, TestSettings.Build(settings.ToDictionary(s => s.Key, s => (string?)s.Value)));

    [Theory]
    [InlineData("BaseUrl", "Welkin:BaseUrl")]
    [InlineData("Timeout", "Welkin:Timeout")]
    [InlineData("ApiClient", "Welkin:ApiClient")]
    [InlineData("Secret", "Welkin:Secret")]
    [InlineData("VaultUri", "KeyVault:VaultUri")]
    [InlineData("SecretName", "KeyVault:SecretName")]
    public void The_default_clients_keys_are_the_Welkin_and_KeyVault_sections(string setting, string key)
    {
        Assert.Equal(key, Keys("default", ("Welkin:Clients:live:Timeout", "00:00:05")).Of(setting));
    }

    [Theory]
    [InlineData("Timeout", "Welkin:Clients:live:Timeout")]
    [InlineData("BaseUrl", "Welkin:BaseUrl")]
    [InlineData("Tenant", "Welkin:Clients:live:Tenant")]
    [InlineData("VaultUri", "KeyVault:VaultUri")]
    [InlineData("ApiClient", "Welkin:Clients:live:ApiClient")]
    [InlineData("Secret", "Welkin:Clients:live:Secret")]
    [InlineData("SecretName", "Welkin:Clients:live:SecretName")]
    public void A_named_client_names_its_own_key_unless_only_the_inherited_one_is_set(string setting, string key)
    {
        var keys = Keys(
            "live",
            ("Welkin:Timeout", "00:00:09"),
            ("Welkin:Clients:live:Timeout", "00:00:05"),
            ("Welkin:BaseUrl", "https://welkin.example"),
            ("Welkin:ApiClient", "default-key"),
            ("Welkin:Secret", "default-secret"),
            ("KeyVault:VaultUri", "https://v.vault.azure.net/"),
            ("KeyVault:SecretName", "welkin-api-token"));

        Assert.Equal(key, keys.Of(setting));
    }

    [Fact]
    public void Own_keys_are_where_a_value_for_that_client_alone_goes()
    {
        Assert.Equal(("KeyVault:VaultUri", "KeyVault:SecretName", "Welkin:BaseUrl"),
            (Keys("default").Own("VaultUri"), Keys("default").Own("SecretName"), Keys("default").Own("BaseUrl")));
        Assert.Equal(("Welkin:Clients:live:VaultUri", "Welkin:Clients:live:SecretName", "Welkin:Clients:live:BaseUrl"),
            (Keys("live").Own("VaultUri"), Keys("live").Own("SecretName"), Keys("live").Own("BaseUrl")));
    }
}
