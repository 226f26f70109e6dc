using Azure;
using Azure.Security.KeyVault.Secrets;
using Moq;

namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>
/// A vault shared by several app instances, under the real <c>KeyVaultTokenVault</c>: versions, expiry, tags, counters,
/// queued faults (the exceptions the SDK throws) and an optional latency. The SDK's own retries are not modelled: a
/// queued fault is what surfaces after them.
/// </summary>
public sealed class InMemorySecretClient(TimeProvider time) : SecretClient
{
    private readonly Lock _sync = new();
    private readonly List<KeyVaultSecret> _versions = [];
    private readonly List<(VaultOperation Operation, Func<Exception> Fault)> _faults = [];
    private int _reads;
    private int _writes;

    /// <summary>Real-time latency of each call, so concurrent callers overlap as they do against the service.</summary>
    public TimeSpan Latency { get; set; }

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    public KeyVaultSecret? Latest
    {
        get
        {
            lock (_sync)
            {
                return _versions.Count == 0 ? null : _versions[^1];
            }
        }
    }

    public IReadOnlyList<string> Values
    {
        get
        {
            lock (_sync)
            {
                return [.. _versions.Select(v => v.Value)];
            }
        }
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="operation"/> throw what <paramref name="fault"/> makes.</summary>
    public void FailNext(VaultOperation operation, Func<Exception> fault, int times = 1)
    {
        lock (_sync)
        {
            for (var i = 0; i < times; i++)
            {
                _faults.Add((operation, fault));
            }
        }
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
    }

    /// <summary>Puts a token in the vault as the refresher would have written it.</summary>
    public void Seed(string value, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        var secret = new KeyVaultSecret("welkin-api-token", value);
        secret.Properties.ExpiresOn = expiresAt;
        secret.Properties.Tags["issuedAt"] = issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Store(secret);
    }

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        GetSecretAsync(name, version, null, cancellationToken);

    public override async Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        Interlocked.Increment(ref _reads);
        ThrowIfFaulted(VaultOperation.Read);
        var latest = Latest ?? throw new RequestFailedException(404, $"A secret with (name/id) {name} was not found in this key vault.", "SecretNotFound", null);
        return Response.FromValue(latest, Mock.Of<Response>());
    }

    public override async Task<Response<KeyVaultSecret>> SetSecretAsync(KeyVaultSecret secret, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken);
        Interlocked.Increment(ref _writes);
        ThrowIfFaulted(VaultOperation.Write);
        return Response.FromValue(Store(secret), Mock.Of<Response>());
    }

    private KeyVaultSecret Store(KeyVaultSecret secret)
    {
        lock (_sync)
        {
            var version = $"{_versions.Count + 1:x32}";
            var properties = SecretModelFactory.SecretProperties(
                new Uri($"https://reliability.vault.azure.net/secrets/{secret.Name}/{version}"),
                new Uri("https://reliability.vault.azure.net/"),
                secret.Name,
                version,
                createdOn: time.GetUtcNow(),
                updatedOn: time.GetUtcNow());
            properties.Enabled = true;
            properties.ExpiresOn = secret.Properties.ExpiresOn;
            properties.ContentType = secret.Properties.ContentType;
            foreach (var tag in secret.Properties.Tags)
            {
                properties.Tags[tag.Key] = tag.Value;
            }

            var stored = SecretModelFactory.KeyVaultSecret(properties, secret.Value);
            _versions.Add(stored);
            return stored;
        }
    }

    private void ThrowIfFaulted(VaultOperation operation)
    {
        Func<Exception>? fault = null;
        lock (_sync)
        {
            var index = _faults.FindIndex(f => f.Operation == operation);
            if (index >= 0)
            {
                fault = _faults[index].Fault;
                _faults.RemoveAt(index);
            }
        }

        if (fault is not null)
        {
            throw fault();
        }
    }

    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }
        else
        {
            // Callers still interleave, as they would over the network.
            await Task.Yield();
        }
    }
}
