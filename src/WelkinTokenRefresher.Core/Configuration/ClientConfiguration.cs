namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>One configured client and what is wrong with its configuration, by the use that needs it.</summary>
/// <param name="SecretName">The secret name as configured (valid or not), for reports.</param>
/// <param name="VaultProblems">What stops reading its token: its name, vault URI or secret name.</param>
/// <param name="WelkinProblems">What else stops refreshing it: its Welkin settings.</param>
/// <param name="Welkin">Its Welkin settings as bound, valid or not (null when a value could not be converted): status shows its ceiling from them.</param>
public sealed record ClientConfiguration(ClientKeys Keys, string SecretName, IReadOnlyList<string> VaultProblems, IReadOnlyList<string> WelkinProblems, WelkinOptions? Welkin = null)
{
    public string Name => Keys.Client;

    public IReadOnlyList<string> Problems(ClientUse use) => use == ClientUse.ReadVault ? VaultProblems : [.. VaultProblems, .. WelkinProblems];

    public bool Allows(ClientUse use) => Problems(use).Count == 0;
}
