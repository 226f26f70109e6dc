namespace WelkinTokenRefresher.TestSupport.KeyVault;

/// <summary>The calls of <see cref="InMemorySecretClient"/> a fault can be queued for.</summary>
public enum VaultOperation
{
    Read,
    Write,
}
