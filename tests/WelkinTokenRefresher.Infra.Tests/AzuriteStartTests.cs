namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>Wherever Azurite is started (the docs, the CI script, test fixtures) it is told not to send telemetry.</summary>
public sealed class AzuriteStartTests
{
    [Fact]
    public void Every_start_of_azurite_turns_its_telemetry_off()
    {
        var starts = new List<(string Where, string Text)>();
        foreach (var file in Docs.Pages.Append(".ci/run"))
        {
            // The command itself, `... azurite --...`, not `npm ci --prefix tools/azurite`.
            starts.AddRange(File.ReadAllLines(RepoPaths.Combine(file.Split('/')))
                .Where(line => line.Contains("azurite ", StringComparison.Ordinal) && line.Contains(" azurite --", StringComparison.Ordinal))
                .Select(line => (file, line)));
        }

        // A fixture starts Azurite's blob service script with node.
        starts.AddRange(Directory.EnumerateFiles(RepoPaths.Combine("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Where: Path.GetRelativePath(RepoPaths.Root, path), Text: File.ReadAllText(path)))
            .Where(file => file.Text.Contains("\"azurite\", \"dist\"", StringComparison.Ordinal)));

        Assert.NotEmpty(starts);
        Assert.Contains(starts, start => start.Where == "docs/development.md");
        Assert.All(starts, start => Assert.True(start.Text.Contains("--disableTelemetry", StringComparison.Ordinal), $"{start.Where} starts Azurite without --disableTelemetry"));
    }
}
