using WelkinTokenRefresher.Sandbox.Jwt;

namespace WelkinTokenRefresher.Sandbox.Identity;

/// <summary>
/// The emulated managed identity's signing key, tenant and client id: one per process, like a machine's
/// identity. Azure.Identity caches managed identity tokens process-wide (across credential instances, keyed
/// by resource), so a token fetched from one sandbox is later presented to another; a per-sandbox key would
/// make every sandbox after the first answer 401.
/// </summary>
internal static class ProcessIdentity
{
    public static RsaJwtSigner Signer { get; } = new();

    public static string TenantId { get; } = Guid.NewGuid().ToString();

    public static string DefaultClientId { get; } = Guid.NewGuid().ToString();
}
