using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>A mocked <see cref="SecretClient"/> holding the latest version of any number of secrets, by name.</summary>
public sealed class MultiSecretClient
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, KeyVaultSecret> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyVaultSecret> _writes = [];
    private int _version;

    public MultiSecretClient()
    {
        Mock.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string? _, CancellationToken _) => Task.FromResult(Get(name)));
        Mock.Setup(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .Returns((string name, string? _, SecretContentType? _, CancellationToken _) => Task.FromResult(Get(name)));
        Mock.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Returns((KeyVaultSecret secret, CancellationToken _) => Task.FromResult(Set(secret)));
    }

    public Mock<SecretClient> Mock { get; } = new();

    public SecretClient Instance => Mock.Object;

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

    public KeyVaultSecret? Latest(string name)
    {
        lock (_sync)
        {
            return _latest.GetValueOrDefault(name);
        }
    }

    private Response<KeyVaultSecret> Get(string name) =>
        Latest(name) is { } secret
            ? Response.FromValue(secret, Moq.Mock.Of<Response>())
            : throw new RequestFailedException(404, $"A secret with (name/id) {name} was not found in this key vault.", "SecretNotFound", null);

    private Response<KeyVaultSecret> Set(KeyVaultSecret secret)
    {
        var version = $"v{Interlocked.Increment(ref _version)}";
        var properties = SecretModelFactory.SecretProperties(
            id: new Uri(new Uri(TestSettings.VaultUri), $"secrets/{secret.Name}/{version}"), vaultUri: new Uri(TestSettings.VaultUri), name: secret.Name, version: version);
        properties.ExpiresOn = secret.Properties.ExpiresOn;
        properties.Enabled = true;
        foreach (var tag in secret.Properties.Tags)
        {
            properties.Tags[tag.Key] = tag.Value;
        }

        var stored = SecretModelFactory.KeyVaultSecret(properties, secret.Value);
        lock (_sync)
        {
            _writes.Add(stored);
            _latest[secret.Name] = stored;
        }

        return Response.FromValue(stored, Moq.Mock.Of<Response>());
    }
}
