using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Core.Vault;

/// <summary>Where the current token lives.</summary>
public interface ITokenVault
{
    string SecretName { get; }

    /// <summary>Reads the latest version only: listing versions grows with every write and is never done here.</summary>
    /// <exception cref="TokenVaultException">The vault could not be read.</exception>
    Task<VaultReading> ReadCurrentAsync(CancellationToken cancellationToken);

    /// <summary>Writes a new version holding the token.</summary>
    /// <exception cref="TokenVaultException">The vault could not be written; the previous version is untouched.</exception>
    Task<StoredToken> WriteAsync(IssuedToken token, CancellationToken cancellationToken);
}
