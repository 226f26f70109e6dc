using Azure;
using Azure.Security.KeyVault.Secrets;
using WelkinTokenRefresher.TestSupport.KeyVault;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// The consumer tests' view of the shared <see cref="InMemorySecretClient"/>: what the vault holds, how its reads fail
/// or wait, and how many reads the token source made.
/// </summary>
internal sealed class FakeVault
{
    public const string SecretName = InMemorySecretClient.DefaultSecretName;

    public static readonly Uri VaultUri = new("https://test-vault.vault.azure.net/");

    // Synchronous up to a hold, as the source's tests expect: a released hold has been read through when the release returns.
    public InMemorySecretClient Client { get; } = new(TimeProvider.System, VaultUri) { YieldEachCall = false };

    public int Reads => Client.Reads;

    public static string TokenValue(string version) => $"eyJhbGciOiJSUzI1NiJ9.secret-token-{version}.c2lnbmF0dXJl";

    public void Holds(string version, DateTimeOffset expiresOn, bool enabled = true, bool withExpiry = true)
    {
        Client.ReadFailure = null;
        Client.BeforeRead = null;
        Client.ReadAnswer = null;
        Client.Put(Secret(version, expiresOn, enabled, withExpiry).Value, version);
    }

    public void Fails(int status, string? errorCode = null, string message = "Key Vault said no.") =>
        Client.ReadFailure = new RequestFailedException(status, message, errorCode, null);

    public void Throws(Exception exception) => Client.ReadFailure = exception;

    /// <summary>The next reads answer 200 without a secret, which breaks the read after the vault call.</summary>
    public void AnswersWithoutASecret() =>
        Client.ReadAnswer = () => Response.FromValue<KeyVaultSecret>(null!, new StatusOnlyResponse(200));

    /// <summary>The next reads wait until the returned gate is released with <see cref="ReleaseAsync"/>, then answer with what it carries.</summary>
    public TaskCompletionSource<Response<KeyVaultSecret>> HoldsReadsOpen()
    {
        var gate = new TaskCompletionSource<Response<KeyVaultSecret>>();
        Client.BeforeRead = async _ =>
        {
            var answer = (await gate.Task.ConfigureAwait(false)).Value;
            Client.Put(answer, answer.Properties.Version);
        };
        return gate;
    }

    /// <summary>
    /// Completes a held read off the test's synchronization context, so the source's continuations run inline:
    /// when this returns, the source has published what it read.
    /// </summary>
    public static Task ReleaseAsync(TaskCompletionSource<Response<KeyVaultSecret>> gate, Response<KeyVaultSecret> answer) =>
        Task.Run(() => gate.SetResult(answer));

    public static Response<KeyVaultSecret> Secret(string version, DateTimeOffset expiresOn, bool enabled = true, bool withExpiry = true)
    {
        SecretProperties properties = SecretModelFactory.SecretProperties(
            id: new Uri(VaultUri, $"secrets/{SecretName}/{version}"),
            vaultUri: VaultUri,
            name: SecretName,
            version: version);
        properties.Enabled = enabled;
        properties.ExpiresOn = withExpiry ? expiresOn : null;
        properties.ContentType = "application/jwt";
        return Response.FromValue(SecretModelFactory.KeyVaultSecret(properties, TokenValue(version)), new StatusOnlyResponse(200));
    }
}
