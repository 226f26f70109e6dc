namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>Behaviour of the Key Vault emulator; the defaults are Key Vault's.</summary>
public sealed record KeyVaultEmulatorOptions
{
    /// <summary>
    /// Reject expired bearer tokens (Key Vault does). Turn it off only for a test that moves a fake clock more than a
    /// day (the identity tokens' lifetime) while using a real SecretClient, which caches tokens by the wall clock.
    /// </summary>
    public bool EnforceBearerLifetime { get; init; } = true;

    /// <summary>Largest page of a list answer (Key Vault's is 25); smaller pages exercise nextLink.</summary>
    public int MaxPageSize { get; init; } = 25;

    /// <summary>
    /// Key Vault's service limit for secrets: transactions per vault in any 10 seconds, counted on the emulator's clock;
    /// beyond it, 429 <c>Throttled</c> with <c>Retry-After</c> until the window has room. Null: no limit.
    /// </summary>
    public int? TransactionsPer10Seconds { get; init; } = 4000;

    /// <summary>The <c>Retry-After</c> of an injected 429 that names none (see <see cref="KeyVaultFault.ThrottledWithoutRetryAfter"/>).</summary>
    public TimeSpan ThrottledRetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}
