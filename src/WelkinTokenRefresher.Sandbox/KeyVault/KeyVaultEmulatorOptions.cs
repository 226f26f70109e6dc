namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>Behaviour of the Key Vault emulator.</summary>
public sealed record KeyVaultEmulatorOptions
{
    /// <summary>
    /// Reject expired bearer tokens (Key Vault does). The Azure SDK caches tokens by the wall clock, so a
    /// test that moves a fake clock days ahead while using a real SecretClient should turn this off.
    /// </summary>
    public bool EnforceBearerLifetime { get; init; } = true;

    /// <summary>Largest page of a list answer (Key Vault's is 25); smaller pages exercise nextLink.</summary>
    public int MaxPageSize { get; init; } = 25;
}
