using WelkinTokenRefresher.ExampleTests.Infrastructure;

namespace WelkinTokenRefresher.ExampleTests;

/// <summary>docs/consumers.md shows each tested example file verbatim, and the docs say the same cache rule everywhere.</summary>
public sealed class ReadmeExampleTests
{
    // The page that shows the examples; links on it are relative to docs/.
    private static readonly string Readme = File.ReadAllText(RepoPaths.Combine("docs", "consumers.md")).ReplaceLineEndings("\n");

    // Every page a consumer may read the cache rule on.
    private static readonly string AllDocs = string.Join("\n", new[] { "README.md", "docs/consumers.md", "docs/deploy.md" }
        .Select(page => File.ReadAllText(RepoPaths.Combine(page.Split('/'))).ReplaceLineEndings("\n")));

    public static TheoryData<string> Languages => new() { ExampleLanguage.Python.Name, ExampleLanguage.JavaScript.Name };

    private static ExampleLanguage Language(string name) => name == ExampleLanguage.Python.Name ? ExampleLanguage.Python : ExampleLanguage.JavaScript;

    [Theory]
    [MemberData(nameof(Languages))]
    public void Readme_shows_the_example_file_verbatim(string name)
    {
        var language = Language(name);
        var fence = language.ReadmeFence + "\n";
        var start = Readme.IndexOf(fence, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/consumers.md has no {language.ReadmeFence} block.");
        Assert.Equal(-1, Readme.IndexOf(fence, start + 1, StringComparison.Ordinal));
        var body = Readme[(start + fence.Length)..];
        var shown = body[..body.IndexOf("```\n", StringComparison.Ordinal)];

        Assert.Equal(File.ReadAllText(language.ExamplePath).ReplaceLineEndings("\n"), shown);
        Assert.Contains($"[`{language.ExampleFile}`]({Path.GetRelativePath("docs", language.ExampleFile).Replace('\\', '/')})", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_consumer_instruction_caches_until_five_minutes_before_expiry()
    {
        Assert.DoesNotContain("minus a minute", AllDocs, StringComparison.Ordinal);
        Assert.Contains("`expires` minus 5 minutes", AllDocs, StringComparison.Ordinal);
        Assert.Contains("Cache it until `ExpiresOn − 5 minutes`", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_tells_sandbox_users_which_setting_turns_off_the_challenge_resource_check_and_that_only_the_sandbox_sets_it()
    {
        Assert.Contains("`KeyVault__DisableChallengeResourceVerification=true`", Readme, StringComparison.Ordinal);
        Assert.Contains("Never set that one in Azure.", Readme, StringComparison.Ordinal);
        Assert.Contains("`REQUESTS_CA_BUNDLE`", Readme, StringComparison.Ordinal);
        Assert.Contains("`NODE_EXTRA_CA_CERTS`", Readme, StringComparison.Ordinal);
    }
}
