namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>Non-secret overrides from the command line; the API secret is never an argument (process lists, shell history).</summary>
internal sealed record CliSettings(string? VaultUri, string? SecretName, string? WelkinBaseUrl)
{
    public IEnumerable<KeyValuePair<string, string?>> AsConfiguration()
    {
        if (VaultUri is not null)
        {
            yield return new("KeyVault:VaultUri", VaultUri);
        }

        if (SecretName is not null)
        {
            yield return new("KeyVault:SecretName", SecretName);
        }

        if (WelkinBaseUrl is not null)
        {
            yield return new("Welkin:BaseUrl", WelkinBaseUrl);
        }
    }
}
