namespace WelkinTokenRefresher.Infra.Tests;

public sealed class BicepCliTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("welkin-bicep-cli-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_root.FullName, name)).FullName;

    private static string Touch(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        File.WriteAllText(path, string.Empty);
        return path;
    }

    [Fact]
    public void The_restored_package_wins()
    {
        var packaged = Touch(Dir("package"), "bicep");
        var onPath = Touch(Dir("bin"), "bicep");
        Assert.Equal(packaged, BicepCli.Locate(packaged, Path.GetDirectoryName(onPath), Dir("home"), windows: false));
    }

    [Fact]
    public void Without_a_package_for_the_platform_bicep_on_path_is_used()
    {
        var empty = Dir("empty");
        var onPath = Touch(Dir("bin"), "bicep");
        Assert.Equal(onPath, BicepCli.Locate(null, string.Join(Path.PathSeparator, empty, Path.GetDirectoryName(onPath)), Dir("home"), windows: false));
    }

    [Fact]
    public void On_windows_the_executable_is_bicep_exe()
    {
        var onPath = Touch(Dir("bin"), "bicep.exe");
        Touch(Path.GetDirectoryName(onPath)!, "bicep");
        Assert.Equal(onPath, BicepCli.Locate(null, Path.GetDirectoryName(onPath), null, windows: true));
    }

    [Fact]
    public void Then_the_cli_az_bicep_install_puts_in_the_home_folder()
    {
        var home = Dir("home");
        var installed = Touch(Directory.CreateDirectory(Path.Combine(home, ".azure", "bin")).FullName, "bicep");
        Assert.Equal(installed, BicepCli.Locate(null, Dir("empty"), home, windows: false));
    }

    [Fact]
    public void With_none_found_one_message_says_how_to_install_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BicepCli.Locate(null, Dir("empty"), Dir("home"), windows: false));
        Assert.Contains("az bicep install", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://aka.ms/bicep-install", error.Message, StringComparison.Ordinal);
        Assert.Contains("~/.azure/bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_development_section_says_how_the_tests_find_the_cli()
    {
        var section = Docs.Section("docs/development.md", "# Development");
        Assert.Contains("Azure.Bicep.CommandLine", section, StringComparison.Ordinal);
        Assert.Contains("az bicep install", section, StringComparison.Ordinal);
        Assert.Contains("~/.azure/bin", section, StringComparison.Ordinal);
        Assert.Contains("`bicep` on `PATH`", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_platform_downloads_the_one_central_version()
    {
        var project = File.ReadAllText(RepoPaths.Combine("tests", "WelkinTokenRefresher.Infra.Tests", "WelkinTokenRefresher.Infra.Tests.csproj"));
        var rids = System.Text.RegularExpressions.Regex.Matches(project, @"'\$\(BicepCliRid\)' == '([\w-]+)'").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("linux-x64", rids);
        Assert.Contains("<PackageDownload Include=\"$(BicepCliPackage)\" Version=\"[$(BicepCliVersion)]\" />", project, StringComparison.Ordinal);
        Assert.Matches(@"<BicepCliVersion>\d+\.\d+\.\d+</BicepCliVersion>", File.ReadAllText(RepoPaths.Combine("Directory.Packages.props")));
    }
}
