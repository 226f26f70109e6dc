using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// A mocked <see cref="SecretClient"/> that counts reads and answers with whatever the test set last.
/// </summary>
internal sealed class FakeVault
{
    public const string SecretName = "welkin-api-token";

    public static readonly Uri VaultUri = new("https://test-vault.vault.azure.net/");

    private Func<Task<Response<KeyVaultSecret>>> _answer = () => throw new InvalidOperationException("The test set no vault answer.");
    private int _reads;

    public FakeVault()
    {
        Client = new Mock<SecretClient>(MockBehavior.Strict);
        Client
            .Setup(client => client.GetSecretAsync(SecretName, null, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                CountRead();
                return _answer();
            });
    }

    public Mock<SecretClient> Client { get; }

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>For tests that replace the client's setup with their own answer.</summary>
    public void CountRead() => Interlocked.Increment(ref _reads);

    public static string TokenValue(string version) => $"eyJhbGciOiJSUzI1NiJ9.secret-token-{version}.c2lnbmF0dXJl";

    public void Holds(string version, DateTimeOffset expiresOn, bool enabled = true, bool withExpiry = true)
    {
        Response<KeyVaultSecret> response = Secret(version, expiresOn, enabled, withExpiry);
        _answer = () => Task.FromResult(response);
    }

    public void Fails(int status, string? errorCode = null, string message = "Key Vault said no.")
    {
        _answer = () => Task.FromException<Response<KeyVaultSecret>>(new RequestFailedException(status, message, errorCode, null));
    }

    public void Throws(Exception exception)
    {
        _answer = () => Task.FromException<Response<KeyVaultSecret>>(exception);
    }

    /// <summary>The next reads answer 200 without a secret, which breaks the read after the vault call.</summary>
    public void AnswersWithoutASecret()
    {
        _answer = () => Task.FromResult(Response.FromValue<KeyVaultSecret>(null!, Mock.Of<Response>()));
    }

    /// <summary>The next reads wait until the returned gate is released with <see cref="ReleaseAsync"/>.</summary>
    public TaskCompletionSource<Response<KeyVaultSecret>> HoldsReadsOpen()
    {
        var gate = new TaskCompletionSource<Response<KeyVaultSecret>>();
        _answer = () => gate.Task;
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
        return Response.FromValue(SecretModelFactory.KeyVaultSecret(properties, TokenValue(version)), Mock.Of<Response>());
    }
}
