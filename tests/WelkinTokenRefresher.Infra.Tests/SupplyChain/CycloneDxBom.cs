using System.Text.Json;

namespace WelkinTokenRefresher.Infra.Tests.SupplyChain;

/// <summary>A CycloneDX JSON bill of materials: its root component, its components and who depends on whom.</summary>
internal sealed class CycloneDxBom
{
    private readonly Dictionary<string, (string Name, string Version)> _components;
    private readonly Dictionary<string, string[]> _dependsOn;

    public CycloneDxBom(JsonElement bom)
    {
        Assert.Equal("CycloneDX", bom.GetProperty("bomFormat").GetString());
        var root = bom.GetProperty("metadata").GetProperty("component");
        Root = Ref(root);
        RootName = root.GetProperty("name").GetString()!;
        _components = bom.GetProperty("components").EnumerateArray()
            .ToDictionary(Ref, c => (c.GetProperty("name").GetString()!, c.GetProperty("version").GetString()!));
        _components[Root] = (RootName, root.GetProperty("version").GetString()!);
        _dependsOn = bom.GetProperty("dependencies").EnumerateArray()
            .ToDictionary(d => d.GetProperty("ref").GetString()!, d => d.TryGetProperty("dependsOn", out var on) ? on.EnumerateArray().Select(r => r.GetString()!).ToArray() : []);
    }

    public string Root { get; }

    public string RootName { get; }

    /// <summary>The components <paramref name="component"/> depends on directly, as (name, version).</summary>
    public HashSet<(string Name, string Version)> DirectDependenciesOf(string component) =>
        _dependsOn.TryGetValue(component, out var refs) ? refs.Select(r => _components[r]).ToHashSet() : [];

    /// <summary>The reference of the component called <paramref name="name"/>.</summary>
    public string RefOf(string name) => _components.Single(c => c.Value.Name == name).Key;

    private static string Ref(JsonElement component) => component.GetProperty("bom-ref").GetString()!;
}
