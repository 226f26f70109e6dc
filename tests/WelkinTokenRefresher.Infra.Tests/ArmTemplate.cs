using System.Text.Json;
using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>A resource of the compiled template, with the module (nested deployment) that declares it.</summary>
public sealed record ArmResource(string Type, JsonElement Element, ArmTemplate Owner, string Module)
{
    public string Name => Element.GetProperty("name").GetString()!;

    public JsonElement Properties => Element.GetProperty("properties");

    public string? Scope => Element.TryGetProperty("scope", out var scope) ? scope.GetString() : null;

    public string? Condition => Element.TryGetProperty("condition", out var c) ? c.ToString() : null;

    public override string ToString() => $"{Type} {Name} in module {Module}";
}

/// <summary>
/// Small helpers over ARM JSON compiled by Bicep. Modules are Microsoft.Resources/deployments resources
/// whose properties.template is a whole template again; values passed to a module are expressions of the parent.
/// </summary>
public sealed partial class ArmTemplate
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    public ArmTemplate(JsonElement root, string module = "main", ArmTemplate? parent = null)
    {
        Root = root;
        Module = module;
        Parent = parent;
    }

    public JsonElement Root { get; }

    public string Module { get; }

    public ArmTemplate? Parent { get; }

    public IEnumerable<ArmResource> OwnResources =>
        Root.GetProperty("resources").EnumerateArray()
            .Select(r => new ArmResource(r.GetProperty("type").GetString()!, r, this, Module));

    /// <summary>Every resource of this template and of every module below it.</summary>
    public IEnumerable<ArmResource> AllResources =>
        OwnResources.SelectMany(r => r.Type == DeploymentType
            ? new[] { r }.Concat(ModuleTemplate(r).AllResources)
            : [r]);

    public IEnumerable<ArmTemplate> AllTemplates =>
        new[] { this }.Concat(OwnResources.Where(r => r.Type == DeploymentType).SelectMany(r => ModuleTemplate(r).AllTemplates));

    public ArmTemplate ModuleTemplate(ArmResource deployment) =>
        new(deployment.Properties.GetProperty("template"), deployment.Name, this);

    public ArmResource Deployment(string moduleName) =>
        OwnResources.Single(r => r.Type == DeploymentType && r.Name == moduleName);

    public ArmTemplate ModuleNamed(string moduleName) => ModuleTemplate(Deployment(moduleName));

    public IEnumerable<ArmResource> OfType(string type) => AllResources.Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase));

    public ArmResource OnlyOfType(string type) => OfType(type).Single();

    public JsonElement Parameter(string name) => Root.GetProperty("parameters").GetProperty(name);

    public JsonElement Outputs => Root.TryGetProperty("outputs", out var o) ? o : default;

    /// <summary>The expression the parent passes for a parameter of this module.</summary>
    public string PassedValue(string parameter)
    {
        if (Parent is null)
        {
            throw new InvalidOperationException("The main template has no parent.");
        }

        return Parent.Deployment(Module).Properties.GetProperty("parameters").GetProperty(parameter).GetProperty("value").ToString();
    }

    /// <summary>Resolves a role definition id expression to the role guid, following variables('x').y lookups.</summary>
    public string RoleGuid(string roleDefinitionIdExpression)
    {
        var literal = GuidPattern().Match(roleDefinitionIdExpression);
        if (literal.Success)
        {
            return literal.Value;
        }

        var variable = VariableMemberPattern().Match(roleDefinitionIdExpression);
        if (!variable.Success)
        {
            throw new InvalidOperationException($"Cannot resolve a role id from {roleDefinitionIdExpression}.");
        }

        return Root.GetProperty("variables").GetProperty(variable.Groups[1].Value).GetProperty(variable.Groups[2].Value).GetString()!;
    }

    /// <summary>Names of the parameters an expression reads, e.g. [parameters('a')] gives a.</summary>
    public static IReadOnlyList<string> ParametersIn(string expression) =>
        ParameterPattern().Matches(expression).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The name of the module output an expression reads, e.g. ...'vaults'), ...).outputs.tokenVaultUri.value.</summary>
    public static (string Module, string Output)? ModuleOutputIn(string expression)
    {
        var match = ModuleOutputPattern().Match(expression);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : null;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"variables\('(\w+)'\)\.(\w+)")]
    private static partial Regex VariableMemberPattern();

    [GeneratedRegex(@"parameters\('(\w+)'\)")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"'Microsoft\.Resources/deployments', '([\w-]+)'\), '[\d-]+'\)\.outputs\.(\w+)\.value")]
    private static partial Regex ModuleOutputPattern();
}
