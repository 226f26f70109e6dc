namespace WelkinTokenRefresher.Sandbox.Identity;

/// <summary>The caller a valid managed identity bearer token stands for.</summary>
/// <param name="ClientId">The identity's client (application) id: what access rules are keyed by.</param>
/// <param name="ObjectId">The identity's object (principal) id.</param>
public sealed record BearerPrincipal(string ClientId, string ObjectId);
