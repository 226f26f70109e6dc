namespace WelkinTokenRefresher.Core.Vault;

public enum VaultTokenState
{
    /// <summary>The secret has no version yet.</summary>
    Missing,

    /// <summary>The latest version is disabled.</summary>
    Disabled,

    /// <summary>The latest version is enabled; it may still be expired.</summary>
    Present,
}

/// <summary>What the latest version of the token secret looks like.</summary>
public sealed record VaultReading(VaultTokenState State, StoredToken? Token)
{
    public static readonly VaultReading Missing = new(VaultTokenState.Missing, null);
    public static readonly VaultReading Disabled = new(VaultTokenState.Disabled, null);

    public static VaultReading Present(StoredToken token) => new(VaultTokenState.Present, token);
}
