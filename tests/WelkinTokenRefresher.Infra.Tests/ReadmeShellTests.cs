using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// The README's shell examples run as written in bash: every <c>```bash</c> block parses, and no command begins with an
/// assignment bash cannot make (a name with a dot, such as <c>Logging__LogLevel__System.Net.Http=Trace</c>, is a command
/// name to bash: it needs <c>env 'NAME=value' command</c>).
/// </summary>
public sealed partial class ReadmeShellTests
{
    /// <summary>Every fenced bash block of README.md and docs/, with its page and the line it starts on.</summary>
    private static IEnumerable<(string Line, string Code)> BashBlocks() =>
        Docs.Pages.SelectMany(page => BashBlocks(Docs.Text(page)).Select(block => ($"{page} line {block.Line}", block.Code)));

    private static IEnumerable<(int Line, string Code)> BashBlocks(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```bash")
            {
                continue;
            }

            var end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
            yield return (i + 1, string.Join('\n', lines[(i + 1)..end]));
            i = end;
        }
    }

    [Fact]
    public void Every_bash_block_parses_in_bash()
    {
        var blocks = BashBlocks().ToList();
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} bash blocks found");
        var failures = new List<string>();
        foreach (var (line, code) in blocks)
        {
            var check = new ProcessStartInfo("bash", ["-n"]) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            using var bash = Process.Start(check)!;
            bash.StandardInput.Write(code + "\n");
            bash.StandardInput.Close();
            var error = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            if (bash.ExitCode != 0)
            {
                failures.Add($"{line}: {error.Trim()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void No_command_begins_with_an_assignment_bash_cannot_make()
    {
        var wrong = BashBlocks()
            .SelectMany(block => block.Code.Split('\n').Select((text, offset) => (Line: $"{block.Line} + {1 + offset}", Text: text.TrimStart())))
            .Where(line => !line.Text.StartsWith('#') && NotAnAssignment().IsMatch(line.Text))
            .Select(line => $"{line.Line}: {line.Text}")
            .ToList();

        Assert.True(wrong.Count == 0, "bash runs these as commands named NAME=value; write env 'NAME=value' command:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void The_check_recognises_an_assignment_bash_cannot_make()
    {
        Assert.Matches(NotAnAssignment(), "Logging__LogLevel__System.Net.Http=Trace welkin-token refresh");
        Assert.DoesNotMatch(NotAnAssignment(), "env 'Logging__LogLevel__System.Net.Http=Trace' welkin-token refresh");
        Assert.DoesNotMatch(NotAnAssignment(), "Welkin__Timeout=00:00:05 welkin-token refresh");
    }

    /// <summary>A command line whose first word looks like an assignment to a name that is not a shell identifier.</summary>
    [GeneratedRegex(@"^(?![A-Za-z_][A-Za-z0-9_]*=)[A-Za-z_][^\s=]*=")]
    private static partial Regex NotAnAssignment();
}
