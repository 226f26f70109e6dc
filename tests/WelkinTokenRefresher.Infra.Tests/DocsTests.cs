using System.Text.RegularExpressions;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// Docs that cannot rot (issue 21): every relative link and anchor lands, docs/configuration.md documents exactly the keys
/// the options bind, docs/cli.md every exit code and docs/http-api.md every status the code can return.
/// </summary>
public sealed partial class DocsTests
{
    /// <summary>Every page a reader follows links from: README.md, docs/, SECURITY.md and the packages' front pages.</summary>
    public static TheoryData<string> LinkedPages => new(
        Docs.Pages
            .Append("SECURITY.md")
            .Concat(Directory.EnumerateFiles(RepoPaths.Combine("src"), "README.md", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/'))));

    [Theory]
    [MemberData(nameof(LinkedPages))]
    public void Every_relative_link_and_anchor_lands(string page)
    {
        var broken = BrokenLinks(page, Docs.Text(page));
        Assert.True(broken.Count == 0, $"{page} has links that land nowhere:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void The_link_check_sees_a_missing_file_and_a_missing_anchor()
    {
        var broken = BrokenLinks("docs/cli.md", "[a](nowhere.md) [b](deploy.md#no-such-heading) [c](#exit-codes) [d](deploy.md#alerts) [e](https://example.com/x)");
        Assert.Equal(["nowhere.md", "deploy.md#no-such-heading"], broken.Select(b => b.Split(' ')[0]));
    }

    [Theory]
    [InlineData("Recover after `azd down`", "recover-after-azd-down")]
    [InlineData("C#: the `WelkinTokenRefresher.Client` package", "c-the-welkintokenrefresherclient-package")]
    [InlineData("Welkin's two token APIs", "welkins-two-token-apis")]
    public void Anchors_are_githubs_heading_slugs(string heading, string slug) => Assert.Equal(slug, Slug(heading));

    [Fact]
    public void Configuration_documents_every_key_the_options_bind_and_nothing_else_in_their_sections()
    {
        var documented = DocumentedKeys(Docs.Text("docs/configuration.md"));
        var bound = UnknownSettings.KnownKeys.ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(bound);

        Assert.Empty(bound.Except(documented, StringComparer.Ordinal));
        // Keys outside the options' sections (AzureWebJobsStorage, AZURE_CLIENT_ID) are read by the host and the Azure SDK.
        Assert.Empty(documented.Where(key => OptionSections.Any(section => key.StartsWith(section + ":", StringComparison.Ordinal)))
            .Except(bound, StringComparer.Ordinal));
    }

    [Fact]
    public void The_key_check_reads_keys_named_in_one_cell_after_the_first()
    {
        var keys = DocumentedKeys("| key | default | meaning |\n|---|---|---|\n| `Welkin:Clients:{name}:ApiClient`, `:Secret` | required | x |\n");
        Assert.Equal(["Welkin:Clients:{name}:ApiClient", "Welkin:Clients:{name}:Secret"], keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("docs/cli.md")]
    [InlineData("src/WelkinTokenRefresher.Cli/README.md")]
    public void Every_exit_code_the_cli_can_return_is_documented_and_nothing_else(string page)
    {
        var source = File.ReadAllText(RepoPaths.Combine("src", "WelkinTokenRefresher.Cli", "ExitCodes.cs"));
        var codes = ExitCodeConstant().Matches(source).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Contains(130, codes);
        Assert.Equal(codes.Order(), FirstColumnNumbers(Docs.Text(page), "| code |").Order());
    }

    [Fact]
    public void Every_http_status_the_functions_can_answer_is_documented_and_nothing_else()
    {
        var statuses = Directory.EnumerateFiles(RepoPaths.Combine("src", "WelkinTokenRefresher.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => StatusCode().Matches(File.ReadAllText(path)))
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        Assert.Contains(413, statuses);
        Assert.Equal(statuses.Order(), FirstColumnNumbers(Docs.Text("docs/http-api.md"), "| status |").Order());
    }

    private static readonly string[] OptionSections = [WelkinOptions.SectionName, KeyVaultOptions.SectionName, RefreshOptions.SectionName];

    /// <summary>The keys in the first column of every table headed "| key |": `A:B:C`, then `:D` for A:B:D.</summary>
    private static HashSet<string> DocumentedKeys(string page)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in FirstColumn(page, "| key |"))
        {
            string? prefix = null;
            foreach (Match code in Regex.Matches(cell, "`([^`]+)`"))
            {
                var key = code.Groups[1].Value;
                if (key.StartsWith(':') && prefix is not null)
                {
                    keys.Add(prefix + key);
                }
                else if (!key.StartsWith(':'))
                {
                    keys.Add(key);
                    prefix = key.Contains(':', StringComparison.Ordinal) ? key[..key.LastIndexOf(':')] : key;
                }
            }
        }

        return keys;
    }

    /// <summary>The leading number of each row's first cell in the tables whose header starts with <paramref name="header"/>.</summary>
    private static HashSet<int> FirstColumnNumbers(string page, string header) =>
        FirstColumn(page, header)
            .Select(cell => Regex.Match(cell, @"^\s*(\d{1,3})\b"))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();

    private static IEnumerable<string> FirstColumn(string page, string header)
    {
        var inTable = false;
        foreach (var line in page.Split('\n'))
        {
            if (line.StartsWith(header, StringComparison.Ordinal))
            {
                inTable = true;
            }
            else if (!line.StartsWith('|'))
            {
                inTable = false;
            }
            else if (inTable && !line.StartsWith("|---", StringComparison.Ordinal))
            {
                yield return line.Split('|')[1];
            }
        }
    }

    private static List<string> BrokenLinks(string page, string text)
    {
        var folder = Path.GetDirectoryName(RepoPaths.Combine(page.Split('/')))!;
        var broken = new List<string>();
        foreach (Match link in MarkdownLink().Matches(WithoutCode(text)))
        {
            var target = link.Groups[1].Value;
            if (Regex.IsMatch(target, "^[a-z]+:", RegexOptions.IgnoreCase))
            {
                continue;
            }

            var (path, anchor) = target.IndexOf('#') is var hash and >= 0 ? (target[..hash], target[(hash + 1)..]) : (target, "");
            var file = path.Length == 0 ? RepoPaths.Combine(page.Split('/')) : Path.GetFullPath(Path.Combine(folder, path));
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                broken.Add($"{target} (no file {Path.GetRelativePath(RepoPaths.Root, file)})");
            }
            else if (anchor.Length > 0 && !Anchors(File.ReadAllText(file)).Contains(anchor))
            {
                broken.Add($"{target} (no heading with that anchor)");
            }
        }

        return broken;
    }

    /// <summary>The anchors GitHub gives a page's headings (outside code blocks).</summary>
    private static HashSet<string> Anchors(string text) =>
        WithoutCode(text).Split('\n').Select(line => Heading().Match(line)).Where(m => m.Success).Select(m => Slug(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    /// <summary>GitHub's heading slug: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens.</summary>
    private static string Slug(string heading) =>
        Regex.Replace(heading.Trim().ToLowerInvariant(), @"[^\w\- ]", string.Empty).Replace(' ', '-');

    /// <summary>The text without fenced code blocks, so a link or heading inside an example is not taken for one.</summary>
    private static string WithoutCode(string text) => FencedCode().Replace(text.ReplaceLineEndings("\n"), string.Empty);

    [GeneratedRegex(@"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^#{1,6} (.+?)\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^ *```.*?^ *```[^\n]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"public const int \w+ = (\d+);")]
    private static partial Regex ExitCodeConstant();

    [GeneratedRegex(@"StatusCodes\.Status(\d{3})")]
    private static partial Regex StatusCode();
}
