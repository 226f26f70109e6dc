namespace WelkinTokenRefresher.Core.Refresh;

/// <summary>How a refresh ended; hosts map it to an HTTP status or an exit code.</summary>
public enum RefreshStatus
{
    /// <summary>The vault holds a valid token: refreshed now, or not due.</summary>
    Succeeded,

    /// <summary>Refused before calling Welkin: a force too soon, our rate guard, or a Welkin block.</summary>
    Throttled,

    /// <summary>Welkin failed or answered something unusable. Nothing was written.</summary>
    WelkinFailed,

    /// <summary>Key Vault could not be read or written.</summary>
    VaultFailed,

    /// <summary>The client's configuration is invalid: nothing was sent to Welkin or written. The message names the keys.</summary>
    ConfigurationInvalid,

    /// <summary>An error outside Welkin, the vault and the configuration (a defect): reported with its exception type, never thrown.</summary>
    InternalError,
}
