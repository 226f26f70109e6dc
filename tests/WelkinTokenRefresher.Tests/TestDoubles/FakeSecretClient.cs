using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// A mocked <see cref="SecretClient"/> holding one secret's latest version in memory. Reads and writes can be made to
/// fail; every write is recorded.
/// </summary>
public sealed class FakeSecretClient
{
    public static readonly Uri VaultUri = new(TestSettings.VaultUri);

    private readonly Lock _sync = new();
    private readonly List<KeyVaultSecret> _writes = [];
    private KeyVaultSecret? _latest;
    private int _version;

    public FakeSecretClient()
    {
        ClientMock.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string? version, CancellationToken ct) => GetAsync(name, version, ct));
        ClientMock.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string? version, SecretContentType? _, CancellationToken ct) => GetAsync(name, version, ct));
        ClientMock.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Returns((KeyVaultSecret secret, CancellationToken ct) => SetAsync(secret, ct));
    }

    public Mock<SecretClient> ClientMock { get; } = new();

    public SecretClient Instance => ClientMock.Object;

    /// <summary>Thrown by reads instead of answering.</summary>
    public Exception? ReadFailure { get; set; }

    /// <summary>Thrown by writes instead of storing.</summary>
    public Exception? WriteFailure { get; set; }

    /// <summary>The versions asked for by reads (null means the latest).</summary>
    public List<string?> ReadVersions { get; } = [];

    public IReadOnlyList<KeyVaultSecret> Writes
    {
        get
        {
            lock (_sync)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Puts a version in place as if someone had written it.</summary>
    public KeyVaultSecret Seed(string value, DateTimeOffset issuedAt, DateTimeOffset? expiresOn, bool enabled = true)
    {
        var secret = NewVersion(value, expiresOn, enabled);
        secret.Properties.Tags["issuedAt"] = issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        lock (_sync)
        {
            _latest = secret;
        }

        return secret;
    }

    public static RequestFailedException Failure(int status, string errorCode = "Error") =>
        new(status, $"Service request failed. Status: {status}", errorCode, null);

    private Task<Response<KeyVaultSecret>> GetAsync(string name, string? version, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            ReadVersions.Add(version);
        }

        if (ReadFailure is { } failure)
        {
            return Task.FromException<Response<KeyVaultSecret>>(failure);
        }

        var latest = _latest;
        return latest is null
            ? Task.FromException<Response<KeyVaultSecret>>(new RequestFailedException(404, $"A secret with (name/id) {name} was not found in this key vault.", "SecretNotFound", null))
            : Task.FromResult(Response.FromValue(latest, Mock.Of<Response>()));
    }

    private Task<Response<KeyVaultSecret>> SetAsync(KeyVaultSecret secret, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            _writes.Add(secret);
        }

        if (WriteFailure is { } failure)
        {
            return Task.FromException<Response<KeyVaultSecret>>(failure);
        }

        // What the service answers: a new version with the properties and tags that were sent.
        var stored = NewVersion(secret.Value, secret.Properties.ExpiresOn, secret.Properties.Enabled ?? true);
        stored.Properties.ContentType = secret.Properties.ContentType;
        foreach (var tag in secret.Properties.Tags)
        {
            stored.Properties.Tags[tag.Key] = tag.Value;
        }

        lock (_sync)
        {
            _latest = stored;
        }

        return Task.FromResult(Response.FromValue(stored, Mock.Of<Response>()));
    }

    private KeyVaultSecret NewVersion(string value, DateTimeOffset? expiresOn, bool enabled)
    {
        var version = $"v{Interlocked.Increment(ref _version)}";
        var properties = SecretModelFactory.SecretProperties(
            id: new Uri(VaultUri, $"secrets/welkin-api-token/{version}"),
            vaultUri: VaultUri,
            name: "welkin-api-token",
            version: version);
        properties.ExpiresOn = expiresOn;
        properties.Enabled = enabled;
        return SecretModelFactory.KeyVaultSecret(properties, value);
    }
}
