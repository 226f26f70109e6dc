using System.CommandLine;
using WelkinTokenRefresher.Cli.Composition;

namespace WelkinTokenRefresher.Cli.Commands;

/// <summary>Options shared by the commands that reach the vault.</summary>
internal sealed class CommonOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as one JSON object (the same as the HTTP API's; a command that cannot run prints {\"category\", \"message\"})." };

    public Option<string?> VaultUri { get; } = new("--vault-uri") { Description = "Token vault URI of the --client chosen; overrides its vault URI (KeyVault:VaultUri for the default client). Not with --all.", HelpName = "uri" };

    public Option<string?> SecretName { get; } = new("--secret-name") { Description = "Secret that holds the --client's token; overrides its secret name (KeyVault:SecretName, default welkin-api-token, for the default client). Not with --all.", HelpName = "name" };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Print every log line at Debug and above on stderr, the HTTP, resilience and Azure SDK libraries' included (a Logging:LogLevel setting for a category still applies)." };

    public Option<string?> WelkinBaseUrl { get; } = new("--welkin-base-url") { Description = "Welkin API base URL of the --client chosen; overrides its BaseUrl (Welkin:BaseUrl for the default client). Not with --all.", HelpName = "url" };

    public void AddTo(Command command, bool welkin)
    {
        command.Options.Add(Json);
        command.Options.Add(VaultUri);
        command.Options.Add(SecretName);
        command.Options.Add(Verbose);
        if (welkin)
        {
            command.Options.Add(WelkinBaseUrl);
        }
    }

    public CliSettings Read(ParseResult parseResult) =>
        new(parseResult.GetValue(VaultUri), parseResult.GetValue(SecretName), parseResult.GetValue(WelkinBaseUrl), parseResult.GetValue(Verbose));
}
