using System.CommandLine;
using WelkinTokenRefresher.Core.Configuration;

namespace WelkinTokenRefresher.Cli.Commands;

/// <summary><c>--client NAME</c> (absent: <c>default</c>) or <c>--all</c>: which Welkin API clients a command acts on.</summary>
internal sealed class ClientOptions
{
    public Option<string?> Client { get; } = new("--client") { Description = "The Welkin API client (Welkin:Clients:NAME); default: the client named 'default'.", HelpName = "name" };

    public Option<bool> All { get; } = new("--all") { Description = "Every configured client, at once; the exit code is the most severe of theirs." };

    public void AddTo(Command command)
    {
        command.Options.Add(Client);
        command.Options.Add(All);
        command.Validators.Add(result =>
        {
            if (result.GetValue(All) && result.GetValue(Client) is not null)
            {
                result.AddError("--client and --all cannot be combined.");
            }
        });
    }

    /// <summary>The one client asked for, or null for every client.</summary>
    public string? Read(ParseResult parseResult) =>
        parseResult.GetValue(All) ? null : parseResult.GetValue(Client) ?? WelkinClientSettings.DefaultName;
}
