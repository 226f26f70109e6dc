namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// The deployments the tests evaluate with <c>bicep snapshot</c>, each taken once per test run: the committed parameter
/// files of Deployments/ and, for private networking, the same files with <c>vnetEnabled</c> on.
/// </summary>
internal static class Deployments
{
    public const string PrivateNetworking = "param vnetEnabled = true";

    private static readonly Lazy<BicepSnapshot> Single = new(() => BicepSnapshot.OfFile("single-client.bicepparam"));
    private static readonly Lazy<BicepSnapshot> Three = new(() => BicepSnapshot.OfFile("three-clients.bicepparam"));
    private static readonly Lazy<BicepSnapshot> NamedOnly = new(() => BicepSnapshot.OfFile("named-clients-only.bicepparam"));
    private static readonly Lazy<BicepSnapshot> ApiClientsDefault = new(() => BicepSnapshot.OfFile("api-clients-default.bicepparam"));
    private static readonly Lazy<BicepSnapshot> SinglePrivate = new(() => BicepSnapshot.Of(Text("single-client.bicepparam") + PrivateNetworking));
    private static readonly Lazy<BicepSnapshot> ThreePrivate = new(() => BicepSnapshot.Of(Text("three-clients.bicepparam") + PrivateNetworking));
    private static readonly Lazy<BicepSnapshot> ThreeAt = new(() => BicepSnapshot.Of(Text("three-clients.bicepparam") + $"param deploymentTime = '{DeploymentTime}'"));

    /// <summary>The deployment time of <see cref="ThreeClientsDeployedAt"/> (otherwise utcNow(), which a snapshot leaves unevaluated).</summary>
    public const string DeploymentTime = "2026-12-04T10:00:00Z";

    /// <summary>Only the parameters azd has always passed: one client, its credentials.</summary>
    public static BicepSnapshot SingleClient => Single.Value;

    /// <summary>The default client plus live, staging and legacy2, vault-wide and per-client consumers.</summary>
    public static BicepSnapshot ThreeClients => Three.Value;

    /// <summary>No default client: live and staging only.</summary>
    public static BicepSnapshot NamedClientsOnly => NamedOnly.Value;

    /// <summary>The default client alone, on the api-clients API.</summary>
    public static BicepSnapshot DefaultClientOnApiClients => ApiClientsDefault.Value;

    public static BicepSnapshot SingleClientPrivate => SinglePrivate.Value;

    public static BicepSnapshot ThreeClientsPrivate => ThreePrivate.Value;

    /// <summary>Three clients deployed at <see cref="DeploymentTime"/>: every alert query and the workbook fully evaluated.</summary>
    public static BicepSnapshot ThreeClientsDeployedAt => ThreeAt.Value;

    public static string Text(string bicepparamFileName) =>
        File.ReadAllText(RepoPaths.Combine("tests", "WelkinTokenRefresher.Infra.Tests", "Deployments", bicepparamFileName)) + "\n";
}
