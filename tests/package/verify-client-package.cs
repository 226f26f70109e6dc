// Checks what a feed's users get in WelkinTokenRefresher.Client.<version>.nupkg: the nuspec's license, readme and repository
// (URL and commit), and in the assembly an embedded portable PDB whose SourceLink maps the sources to that repository.
// Usage: dotnet run tests/package/verify-client-package.cs -- path/to/WelkinTokenRefresher.Client.1.0.0.nupkg
// Needs a clone whose origin is a hosted repository (e.g. GitHub): SourceLink has no URL to write for a local path.
// A script, never published: without Native AOT its lock file holds no platform's compiler package.
#:property PublishAot=false
using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;

var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
var problems = new List<string>();
using var package = ZipFile.OpenRead(args.Length == 1 ? args[0] : throw new ArgumentException("Pass the .nupkg path."));

var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
string? Field(string name, string? attribute = null)
{
    var element = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);
    return attribute is null ? element?.Value : element?.Attribute(attribute)?.Value;
}

var repositoryUrl = Field("repository", "url");
if (Field("license", "type") != "expression" || string.IsNullOrEmpty(Field("license"))) problems.Add("no license expression");
if (Field("readme") is not { } readme || package.GetEntry(readme) is null) problems.Add("no readme in the package");
if (string.IsNullOrEmpty(repositoryUrl)) problems.Add("no repository URL");
if (Field("repository", "commit") is not { Length: 40 }) problems.Add("no repository commit");

// One assembly per target framework: .NET 8, .NET 10 and .NET Standard 2.0 (.NET Framework 4.6.2+); each is checked.
var dlls = package.Entries.Where(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == "WelkinTokenRefresher.Client.dll").ToList();
var targets = dlls.Select(e => e.FullName.Split('/')[1]).Order(StringComparer.Ordinal).ToList();
if (!targets.SequenceEqual(["net10.0", "net8.0", "netstandard2.0"])) problems.Add($"lib/ holds {string.Join(", ", targets)}, not net10.0, net8.0 and netstandard2.0");
var sourceLinks = dlls.Select(CheckAssembly).ToList();

if (problems.Count > 0)
{
    Console.Error.WriteLine($"{args[0]}: {string.Join("; ", problems)}");
    return 1;
}

Console.WriteLine($"{Path.GetFileName(args[0])}: license {Field("license")}, repository {repositoryUrl} at {Field("repository", "commit")}, {string.Join(", ", targets)}, SourceLink {sourceLinks[0]}");
return 0;

// The embedded PDB with SourceLink to the repository, and a deterministic build; problems are named with the target.
string? CheckAssembly(ZipArchiveEntry dll)
{
    var target = dll.FullName.Split('/')[1];
    using var image = new MemoryStream();
    using (var stream = dll.Open()) stream.CopyTo(image);
    image.Position = 0;
    using var pe = new PEReader(image);
    var embedded = pe.ReadDebugDirectory().Where(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb).ToList();
    string? sourceLink = null;
    if (embedded.Count == 1)
    {
        using var pdbProvider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded[0]);
        var pdb = pdbProvider.GetMetadataReader();
        sourceLink = pdb.CustomDebugInformation
            .Select(pdb.GetCustomDebugInformation)
            .Where(info => pdb.GetGuid(info.Kind) == sourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(pdb.GetBlobBytes(info.Value)))
            .SingleOrDefault();
    }
    else
    {
        problems.Add($"{target}: no embedded portable PDB");
    }

    if (!pe.ReadDebugDirectory().Any(d => d.Type == DebugDirectoryEntryType.Reproducible)) problems.Add($"{target}: not a deterministic build");
    if (sourceLink is null) problems.Add($"{target}: no SourceLink in the PDB");
    else if (repositoryUrl is not null && !sourceLink.Contains(new Uri(repositoryUrl).AbsolutePath.TrimEnd('/').Replace(".git", ""), StringComparison.OrdinalIgnoreCase))
        problems.Add($"{target}: SourceLink does not point at {repositoryUrl}: {sourceLink}");
    return sourceLink;
}
