using System.Globalization;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Reporting;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.KeyVault;

namespace WelkinTokenRefresher.Core.Vault;

/// <summary>
/// One client's token in Azure Key Vault: one secret, a new version per token, expiry and tags set on each. Every failure of
/// the SDK, one nobody classified included, comes out as a <see cref="TokenVaultException"/> naming the client's keys.
/// </summary>
internal sealed class KeyVaultTokenVault(SecretClient client, IOptions<TokenVaultOptions> options, TimeProvider time) : ITokenVault
{
    /// <summary>The SDK's retries of a failed call (set on the client where it is registered).</summary>
    public const int Retries = 2;

    /// <summary>The SDK's network timeout of each attempt: a refresh fails within seconds, not the SDK's 100 s default.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    public string SecretName => options.Value.SecretName;

    public async Task<VaultReading> ReadCurrentAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var secret = (await client.GetSecretAsync(SecretName, cancellationToken: cancellationToken)).Value;
            return DisabledSecret.Is(secret.Properties) ? VaultReading.Disabled : VaultReading.Present(ToStoredToken(secret.Properties));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return VaultReading.Missing;
        }
        catch (RequestFailedException e) when (DisabledSecret.IsReadRefusal(e))
        {
            return VaultReading.Disabled;
        }
        catch (Exception e) when (IsVaultFailure(e, cancellationToken))
        {
            throw Translate(e, "read", "Key Vault Secrets Officer (the refresher) or Key Vault Secrets User (a reader)", started);
        }
    }

    public async Task<StoredToken> WriteAsync(IssuedToken token, CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(SecretName, token.Value);
        secret.Properties.ExpiresOn = token.ExpiresAt;
        secret.Properties.ContentType = SecretTags.ContentType;
        secret.Properties.Tags[SecretTags.IssuedAt] = SecretTags.Format(token.IssuedAt);
        secret.Properties.Tags[SecretTags.ExpiresAt] = SecretTags.Format(token.ExpiresAt);
        secret.Properties.Tags[SecretTags.Source] = SecretTags.SourceValue;
        secret.Properties.Tags[SecretTags.ApiClient] = token.ApiClient;
        var started = time.GetTimestamp();
        try
        {
            var written = (await client.SetSecretAsync(secret, cancellationToken)).Value;
            return ToStoredToken(written.Properties);
        }
        catch (Exception e) when (IsVaultFailure(e, cancellationToken))
        {
            throw Translate(e, "write", "Key Vault Secrets Officer", started);
        }
    }

    private StoredToken ToStoredToken(SecretProperties properties)
    {
        // The tag is when we received the token; a secret written by someone else falls back to its creation time.
        var issuedAt = properties.Tags.TryGetValue(SecretTags.IssuedAt, out var tag)
            && DateTimeOffset.TryParse(tag, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : properties.CreatedOn ?? DateTimeOffset.MinValue;
        return new StoredToken(SecretName, properties.Version ?? "", issuedAt, properties.ExpiresOn);
    }

    // Anything but the caller's own cancellation is the vault failing: classified below, or reported by its type.
    private static bool IsVaultFailure(Exception e, CancellationToken cancellationToken) =>
        e is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    private TokenVaultException Translate(Exception e, string operation, string role, long started)
    {
        var keys = options.Value.Keys;
        var what = $"Key Vault {options.Value.VaultUri?.Host} could not {operation} secret '{SecretName}'";
        var elapsed = $"{time.GetElapsedTime(started).TotalSeconds:F1} s";
        return e switch
        {
            CredentialUnavailableException => new(VaultFailureKind.NoCredential,
                $"{what}: no Azure credential is available. In Azure, assign a managed identity (and set AZURE_CLIENT_ID for a user-assigned one); locally, run 'az login'.", innerException: e),
            AuthenticationFailedException => new(VaultFailureKind.AuthenticationFailed,
                $"{what}: Microsoft Entra ID refused to issue a token for this identity. Check AZURE_CLIENT_ID and the identity's federation or login.", innerException: e),
            RequestFailedException { Status: 401 } => new(VaultFailureKind.AuthenticationFailed,
                $"{what}: the vault did not accept this identity's token (401). Check that the vault is in the identity's tenant.", innerException: e),
            RequestFailedException { Status: 403 } => new(VaultFailureKind.Forbidden,
                $"{what}: access denied (403). Grant this identity the {role} role on the vault.", innerException: e),
            RequestFailedException { Status: 429 } => new(VaultFailureKind.Throttled,
                $"{what}: Key Vault is throttling requests (429). The Azure SDK already retried; try again shortly.", TimeSpan.FromSeconds(10), e),
            RequestFailedException { Status: 408 or >= 500 } r => new(VaultFailureKind.Unavailable,
                $"{what}: the vault is unavailable ({r.Status}), retries included ({elapsed} in all). Try again shortly; check {keys.VaultUri} if it persists.", innerException: e),
            _ when ConnectionFailure.Tls(e) is { } tls => new(VaultFailureKind.Unavailable,
                $"{what}: the TLS connection failed: {tls}. Check {keys.VaultUri}.", innerException: e),
            _ when ConnectionFailure.Cause(e) is { } cause => new(VaultFailureKind.Unavailable,
                $"{what}: the vault could not be reached ({cause}), retries included ({elapsed} in all). Check {keys.VaultUri} and the network.", innerException: e),
            // The SDK's network timeout, alone or in Azure.Core's AggregateException around retries that each timed out.
            _ when ConnectionFailure.TimedOut(e) => new(VaultFailureKind.Unavailable,
                $"{what}: the vault did not answer in time: each of up to {Retries + 1} attempts may take {AttemptTimeout}; {elapsed} in all. Check {keys.VaultUri} and the network.", innerException: e),
            RequestFailedException { Status: 0 } or HttpRequestException or IOException or AggregateException => new(VaultFailureKind.Unavailable,
                $"{what}: the vault could not be reached, retries included ({elapsed} in all). Check {keys.VaultUri} and the network.", innerException: e),
            RequestFailedException r => new(VaultFailureKind.Rejected,
                $"{what}: the vault refused the request ({r.Status} {r.ErrorCode}).", innerException: e),
            InvalidOperationException when e.Message.Contains("challenge resource", StringComparison.OrdinalIgnoreCase) => new(VaultFailureKind.Rejected,
                $"{what}: the vault's sign-in challenge names a resource its host is not part of. Check {keys.VaultUri} (an Azure vault is https://<name>.vault.azure.net/); only for a local emulator set {KeyVaultOptions.SectionName}:{nameof(KeyVaultOptions.DisableChallengeResourceVerification)}=true.", innerException: e),
            _ => new(VaultFailureKind.Unexpected,
                $"{what}: the Azure SDK failed with {UnexpectedError.TypeName(e)}, which this app does not recognise. Check {keys.VaultUri} and the network, and please report it with this message.", innerException: e),
        };
    }
}
