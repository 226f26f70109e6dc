using System.Collections.Concurrent;
using WelkinTokenRefresher.Sandbox.Identity;

namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>Which role each caller holds on the vault; callers not named hold <see cref="DefaultRole"/>.</summary>
public sealed class KeyVaultAccessPolicy
{
    private readonly ConcurrentDictionary<string, KeyVaultRole> _roles = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The role of callers without an assignment; Secrets Officer unless changed.</summary>
    public KeyVaultRole DefaultRole { get; set; } = KeyVaultRole.SecretsOfficer;

    /// <summary>Assigns a role to a caller, named by client id or object id.</summary>
    public void SetRole(string principalId, KeyVaultRole role)
    {
        ArgumentException.ThrowIfNullOrEmpty(principalId);
        _roles[principalId] = role;
    }

    /// <summary>Removes every assignment and restores the default role.</summary>
    public void Reset()
    {
        _roles.Clear();
        DefaultRole = KeyVaultRole.SecretsOfficer;
    }

    internal bool Allows(BearerPrincipal caller, KeyVaultOperation operation)
    {
        var role = _roles.TryGetValue(caller.ClientId, out var byClient) ? byClient
            : _roles.TryGetValue(caller.ObjectId, out var byObject) ? byObject
            : DefaultRole;
        return role switch
        {
            KeyVaultRole.SecretsOfficer => true,
            KeyVaultRole.SecretsUser => operation is KeyVaultOperation.GetSecret or KeyVaultOperation.GetSecretVersion
                or KeyVaultOperation.ListSecretVersions or KeyVaultOperation.ListSecrets,
            _ => false,
        };
    }
}
