using System.Text.Json;
using System.Text.RegularExpressions;
using Semver;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>The Node.js version the README names, and the engines ranges the pinned npm packages declare.</summary>
internal static partial class NodeVersions
{
    /// <summary>The major version in the README's "Needs the .NET 10 SDK and Node.js NN or later".</summary>
    public static int ReadmeMajor { get; } = int.Parse(ReadmeNode().Match(Docs.Text("README.md")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The release lines "NN or later" promises: NN and every even (long-term support) major up to 24, the newest LTS.</summary>
    public static IReadOnlyList<int> ReadmeMajors => [.. Enumerable.Range(ReadmeMajor, Math.Max(1, 25 - ReadmeMajor)).Where(m => m == ReadmeMajor || m % 2 == 0)];

    /// <summary>Every package of a package-lock.json with its declared engines.node range (packages that declare one).</summary>
    public static IReadOnlyList<(string Package, string Range)> EngineRanges(string lockFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(lockFile));
        var result = new List<(string, string)>();
        foreach (var package in document.RootElement.GetProperty("packages").EnumerateObject().Where(p => p.Name.Length > 0))
        {
            if (!package.Value.TryGetProperty("engines", out var engines))
            {
                continue;
            }

            // Old packages give a list such as ["node >= 0.4.0"].
            var range = engines.ValueKind == JsonValueKind.Object
                ? engines.TryGetProperty("node", out var node) ? node.GetString() : null
                : engines.EnumerateArray().Select(e => e.GetString()).FirstOrDefault(e => e?.StartsWith("node", StringComparison.Ordinal) == true)?["node".Length..];
            if (range is not null)
            {
                result.Add((package.Name, range.Trim()));
            }
        }

        return result;
    }

    /// <summary>Whether an npm range admits a Node.js release line (its first release, NN.0.0, and its latest, NN.999.999).</summary>
    public static bool Admits(string npmRange, int major)
    {
        var range = SemVersionRange.ParseNpm(npmRange);
        return range.Contains(new SemVersion(major, 0, 0)) || range.Contains(new SemVersion(major, 999, 999));
    }

    [GeneratedRegex(@"Needs the \.NET 10 SDK and Node\.js (\d+) or later")]
    private static partial Regex ReadmeNode();
}
