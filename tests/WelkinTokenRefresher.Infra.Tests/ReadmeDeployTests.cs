using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// The README's day-2 commands name what the template and the app really have (issue 19, items 4 and 6): the recovery
/// after <c>azd down</c>, the credential write, the function keys.
/// </summary>
public sealed partial class ReadmeDeployTests
{
    private static string Commands(string heading)
    {
        var section = Docs.Section("docs/deploy.md", heading);
        var block = Regex.Match(section, "```bash\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, $"docs/deploy.md's {heading} has no bash block.");
        return block.Groups[1].Value;
    }

    /// <summary>The HTTP functions of the Functions project and their routes, from its source.</summary>
    private static Dictionary<string, string> HttpFunctions() =>
        Directory.EnumerateFiles(RepoPaths.Combine("src", "WelkinTokenRefresher.Functions", "Functions"), "*.cs")
            .Select(File.ReadAllText)
            .Select(source => (Name: FunctionName().Match(source), Route: Route().Match(source)))
            .Where(f => f.Name.Success && f.Route.Success)
            .ToDictionary(f => f.Name.Groups[1].Value, f => f.Route.Groups[1].Value);

    [Fact]
    public void Recovery_recreates_the_resource_group_the_template_uses_in_its_region_before_recovering_the_vaults()
    {
        var commands = Commands("## Recover after `azd down`");
        var env = Regex.Match(commands, @"env=(\S+) region=(\S+)");
        Assert.True(env.Success, commands);
        var (environment, region) = (env.Groups[1].Value, env.Groups[2].Value);

        // The template's group for that environment, in the region of a deployment there.
        var snapshot = BicepSnapshot.Of(BicepSnapshot.Parameters(string.Empty)
            .Replace("'welkin-test'", $"'{environment}'", StringComparison.Ordinal)
            .Replace("'westeurope'", $"'{region}'", StringComparison.Ordinal));
        var group = Assert.Single(snapshot.OfType("Microsoft.Resources/resourceGroups"));
        var create = Regex.Match(commands, @"az group create --name ""([^""]+)"" --location ""\$region"" --tags azd-env-name=""\$env""");
        Assert.True(create.Success, commands);
        Assert.Equal(group.GetProperty("name").GetString(), create.Groups[1].Value.Replace("$env", environment, StringComparison.Ordinal));
        Assert.Equal(region, group.GetProperty("location").GetString());
        Assert.Equal(environment, group.GetProperty("tags").GetProperty("azd-env-name").GetString());

        var recover = commands.IndexOf("az keyvault recover --name", StringComparison.Ordinal);
        Assert.True(create.Index < recover && recover < commands.IndexOf("azd up", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_vault_the_template_creates_carries_the_tag_the_recovery_finds_deleted_vaults_by()
    {
        var query = Regex.Match(Commands("## Recover after `azd down`"), @"az keyvault list-deleted --resource-type vault --query ""\[\?properties\.tags\.\\""([\w-]+)\\""=='\$env'\]\.name""");
        Assert.True(query.Success);
        var tag = query.Groups[1].Value;
        foreach (var snapshot in new[] { Deployments.ThreeClients, Deployments.NamedClientsOnly, Deployments.ThreeClientsPrivate })
        {
            var vaults = snapshot.OfType("Microsoft.KeyVault/vaults").ToList();
            Assert.NotEmpty(vaults);
            Assert.All(vaults, v => Assert.Equal("welkin-test", v.GetProperty("tags").GetProperty(tag).GetString()));
        }
    }

    [Fact]
    public void The_credential_write_names_the_secrets_and_api_version_the_template_writes()
    {
        var commands = Commands("## Write or rotate a Welkin credential");
        var apiVersion = Regex.Match(commands, @"api-version=([\d-]+)").Groups[1].Value;
        var secrets = Deployments.ThreeClients.OfType("Microsoft.KeyVault/vaults/secrets").ToList();
        Assert.All(secrets, s => Assert.Equal(apiVersion, s.GetProperty("apiVersion").GetString()));

        var names = Regex.Matches(commands, @"welkin-api-(?:client|secret)(?:-\w+)?").Select(m => m.Value).Distinct().ToList();
        Assert.Contains("welkin-api-client", names);
        Assert.Contains("welkin-api-secret", names);
        var written = secrets.Select(s => s.GetProperty("name").GetString()!.Split('/')[1]).ToHashSet();
        Assert.All(names, n => Assert.Contains(n, written));

        Assert.Contains("CREDENTIALS_VAULT_NAME", commands, StringComparison.Ordinal);
        Assert.Contains("az functionapp restart", Docs.Section("docs/deploy.md", "## Write or rotate a Welkin credential"), StringComparison.Ordinal);
        // The value is read silently and given to az through a file descriptor: never an argument, never in history.
        Assert.Contains("read -rs", commands, StringComparison.Ordinal);
        Assert.Contains("--body @<(", commands, StringComparison.Ordinal);
    }

    [Fact]
    public void The_function_key_commands_name_the_apps_http_functions_and_their_routes()
    {
        var functions = HttpFunctions();
        Assert.Equal(["RefreshOnDemand", "TokenStatus"], functions.Keys.Order(StringComparer.Ordinal));
        var commands = Commands("## Call the HTTP functions");
        Assert.All(functions, f =>
        {
            Assert.Contains($"--function-name {f.Key} --query default", commands, StringComparison.Ordinal);
            Assert.Contains($"/api/{f.Value}", commands, StringComparison.Ordinal);
        });
        Assert.Contains("az functionapp keys list", commands, StringComparison.Ordinal);

        // Wherever a key is needed, the README points here.
        Assert.Contains("(#call-the-http-functions)", Docs.Section("docs/deploy.md", "## Write or rotate a Welkin credential"), StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_names_no_github_secret_for_welkin_credentials()
    {
        var deploy = Docs.Section("docs/deploy.md", "# Deploy");
        Assert.DoesNotContain("azd env set WELKIN_SECRET '<", deploy, StringComparison.Ordinal);
        Assert.Contains("delete them", deploy, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\[Function\(nameof\((\w+)\)\)\]")]
    private static partial Regex FunctionName();

    [GeneratedRegex(@"Route = ""([^""]+)""")]
    private static partial Regex Route();
}
