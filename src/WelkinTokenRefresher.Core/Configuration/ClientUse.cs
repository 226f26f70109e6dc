namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>What a client's configuration must allow: which of its settings have to be valid.</summary>
public enum ClientUse
{
    /// <summary>Reading its token from the vault (status): its name and vault settings. Welkin settings may be absent.</summary>
    ReadVault,

    /// <summary>Keeping its token fresh: every setting, the Welkin credentials included.</summary>
    Refresh,
}
