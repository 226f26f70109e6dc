using Microsoft.Extensions.Configuration;
using WelkinTokenRefresher.Configuration;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>The shared rule that names a setting the binder could not convert, as the client library compiles it.</summary>
public sealed class UnconvertibleSettingTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["VaultReadTimeout"] = "x" })
        .Build();

    [Theory]
    [InlineData("System.TimeSpan", "TimeSpan")]
    [InlineData("System.Collections.Generic.List`1[System.Int32]", "System.Collections.Generic.List`1[System.Int32]")]
    [InlineData("ContosoKind", "ContosoKind")]
    public void Only_a_type_directly_in_System_is_shortened(string binderType, string said)
    {
        Assert.Equal(
            $"VaultReadTimeout has a value that cannot be read as {said} (environment variable VaultReadTimeout). The value is not shown: it may be a secret.",
            UnconvertibleSetting.Describe($"Failed to convert configuration value 's3cr3t' at 'VaultReadTimeout' to type '{binderType}'.", Configuration, "the configuration"));
    }

    [Fact]
    public void Without_a_known_key_or_type_the_scope_is_named_and_nothing_else()
    {
        Assert.Equal(
            "A setting under the configuration has a value that cannot be read as the type it needs. The value is not shown: it may be a secret.",
            UnconvertibleSetting.Describe("Failed to convert configuration value 's3cr3t'.", Configuration, "the configuration"));
    }
}
