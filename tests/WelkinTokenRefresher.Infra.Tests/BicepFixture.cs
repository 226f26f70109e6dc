using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// Compiles and lints infra/main.bicep once per test run with the Bicep CLI (see <see cref="BicepCli"/>).
/// Any error or warning (linter included) fails every test that uses the fixture.
/// </summary>
public sealed class BicepFixture : IDisposable
{
    private readonly string _outputFile = Path.Combine(Path.GetTempPath(), $"welkin-infra-{Guid.NewGuid():N}.json");

    public BicepFixture()
    {
        BicepPath = BicepCli.Locate();
        var mainBicep = RepoPaths.Combine("infra", "main.bicep");

        var build = Run(BicepPath, "build", mainBicep, "--outfile", _outputFile);
        BuildOutput = build;
        if (build.ExitCode != 0 || HasDiagnostics(build.StdErr))
        {
            throw new InvalidOperationException($"bicep build failed or reported diagnostics (exit {build.ExitCode}):\n{build.StdErr}{build.StdOut}");
        }

        var lint = Run(BicepPath, "lint", mainBicep);
        LintOutput = lint;
        if (lint.ExitCode != 0 || HasDiagnostics(lint.StdErr) || HasDiagnostics(lint.StdOut))
        {
            throw new InvalidOperationException($"bicep lint reported diagnostics (exit {lint.ExitCode}):\n{lint.StdErr}{lint.StdOut}");
        }

        Document = JsonDocument.Parse(File.ReadAllText(_outputFile));
        Template = new ArmTemplate(Document.RootElement);
    }

    public string BicepPath { get; }

    public ProcessResult BuildOutput { get; }

    public ProcessResult LintOutput { get; }

    public JsonDocument Document { get; }

    public ArmTemplate Template { get; }

    public void Dispose()
    {
        Document.Dispose();
        File.Delete(_outputFile);
    }

    internal static bool HasDiagnostics(string output) =>
        output.Contains(": Warning ", StringComparison.Ordinal)
        || output.Contains(": Error ", StringComparison.Ordinal)
        || output.Contains(": Info ", StringComparison.Ordinal);

    internal static ProcessResult Run(string fileName, params string[] arguments) => ProcessRunner.Run(fileName, arguments);
}

public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

[CollectionDefinition(Name)]
public sealed class CompiledBicep : ICollectionFixture<BicepFixture>
{
    public const string Name = "Compiled Bicep";
}
