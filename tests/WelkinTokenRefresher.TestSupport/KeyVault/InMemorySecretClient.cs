using System.Globalization;
using Azure;
using Azure.Security.KeyVault.Secrets;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.TestSupport.KeyVault;

/// <summary>
/// The one in-memory <see cref="SecretClient"/> of the test projects. It answers as Key Vault and the sandbox's Key Vault
/// emulator do, refusals built from the same <see cref="KeyVaultRules"/> and read by Azure.Core into the same exception
/// (InMemorySecretClientParityTests compares them): secrets by name, each write a new version (32 hex digits) with its
/// attributes and tags, a read of the latest or of a named version, 404 <c>SecretNotFound</c> for an unknown name or
/// version, 403 <c>Forbidden</c> (inner error <c>SecretDisabled</c>) for a disabled version, 400 <c>BadParameter</c> for a
/// name, value or tags Key Vault does not store. Around that: counters, persistent or queued faults (the exceptions the
/// SDK throws), hooks that hold a call open, and an optional real-time latency. The SDK's own retries are not modelled:
/// a fault is what surfaces after them.
/// </summary>
public sealed class InMemorySecretClient : SecretClient
{
    public const string DefaultSecretName = "welkin-api-token";

    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, List<KeyVaultSecret>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyVaultSecret> _stored = [];
    private readonly List<KeyVaultSecret> _sent = [];
    private readonly List<(string Name, string? Version)> _readRequests = [];
    private readonly List<(VaultOperation Operation, Func<Exception> Fault)> _faults = [];
    private readonly List<string> _otherCalls = [];
    private int _reads;
    private int _writes;

    public InMemorySecretClient(TimeProvider time, Uri? vaultUri = null)
    {
        _time = time;
        VaultUri = vaultUri ?? new Uri("https://test-vault.vault.azure.net/");
    }

    public override Uri VaultUri { get; }

    /// <summary>Real-time latency of each call, so concurrent callers overlap as they do against the service.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Without latency, whether each call first yields, so concurrent callers interleave as over the network (the
    /// default), or runs synchronously up to any hold, so a test that releases a hold sees its effect at once.
    /// </summary>
    public bool YieldEachCall { get; set; } = true;

    /// <summary>Thrown by every read while set, instead of answering.</summary>
    public Exception? ReadFailure { get; set; }

    /// <summary>Thrown by every write while set, instead of storing.</summary>
    public Exception? WriteFailure { get; set; }

    /// <summary>Awaited by each read before it answers: a test holds reads open with it.</summary>
    public Func<CancellationToken, Task>? BeforeRead { get; set; }

    /// <summary>When set, reads answer with this instead of what the vault holds (e.g. a malformed 200).</summary>
    public Func<Response<KeyVaultSecret>>? ReadAnswer { get; set; }

    /// <summary>Awaited by each write before it stores: a test holds writes open with it.</summary>
    public Func<CancellationToken, Task>? BeforeWrite { get; set; }

    /// <summary>Reads made (answered, failed or still held open).</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Writes stored or failed.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>The version each read asked for (null: the latest), in order.</summary>
    public IReadOnlyList<string?> ReadVersions => Locked(() => _readRequests.Select(r => r.Version).ToList());

    /// <summary>Every secret a write sent, as sent, stored or not.</summary>
    public IReadOnlyList<KeyVaultSecret> Sent => Locked(() => _sent.ToList());

    /// <summary>The version stored last, of any secret.</summary>
    public KeyVaultSecret? Latest => Locked(() => _stored.Count == 0 ? null : _stored[^1]);

    /// <summary>Every value stored, oldest first (for scanning output for secrets).</summary>
    public IReadOnlyList<string> Values => Locked(() => _stored.Select(s => s.Value).ToList());

    /// <summary>Every version of <paramref name="name"/>, oldest first.</summary>
    public IReadOnlyList<KeyVaultSecret> Versions(string name = DefaultSecretName) =>
        Locked(() => _secrets.TryGetValue(name, out var versions) ? versions.ToList() : []);

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
        lock (_sync)
        {
            _readRequests.Clear();
            _sent.Clear();
        }
    }

    /// <summary>Puts a token in place as the refresher writes it (expiry, <c>issuedAt</c> tag), uncounted.</summary>
    public KeyVaultSecret Seed(
        string value,
        DateTimeOffset issuedAt,
        DateTimeOffset? expiresOn,
        bool enabled = true,
        string name = DefaultSecretName,
        string? version = null)
    {
        var secret = new KeyVaultSecret(name, value);
        secret.Properties.ExpiresOn = expiresOn;
        secret.Properties.Enabled = enabled;
        secret.Properties.ContentType = "application/jwt";
        secret.Properties.Tags["issuedAt"] = issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return Store(secret, version);
    }

    /// <summary>Puts a version in place exactly as given (no <c>issuedAt</c> tag unless it has one), uncounted.</summary>
    public KeyVaultSecret Put(KeyVaultSecret secret, string? version = null, DateTimeOffset? createdOn = null)
    {
        lock (_sync)
        {
            var stored = Copy(secret, version ?? Guid.NewGuid().ToString("N"), createdOn ?? _time.GetUtcNow());
            Add(stored);
            return stored;
        }
    }

    /// <summary>Calls of anything but get and set (listing versions, deleting, updating properties), by name.</summary>
    public IReadOnlyList<string> OtherCalls => Locked(() => _otherCalls.ToList());

    public override AsyncPageable<SecretProperties> GetPropertiesOfSecretVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        throw Unmodelled(nameof(GetPropertiesOfSecretVersionsAsync));

    public override Pageable<SecretProperties> GetPropertiesOfSecretVersions(string name, CancellationToken cancellationToken = default) =>
        throw Unmodelled(nameof(GetPropertiesOfSecretVersions));

    public override AsyncPageable<SecretProperties> GetPropertiesOfSecretsAsync(CancellationToken cancellationToken = default) =>
        throw Unmodelled(nameof(GetPropertiesOfSecretsAsync));

    public override Task<DeleteSecretOperation> StartDeleteSecretAsync(string name, CancellationToken cancellationToken = default) =>
        throw Unmodelled(nameof(StartDeleteSecretAsync));

    public override Task<Response<SecretProperties>> UpdateSecretPropertiesAsync(SecretProperties properties, CancellationToken cancellationToken = default) =>
        throw Unmodelled(nameof(UpdateSecretPropertiesAsync));

    /// <summary>Enables or disables one version, as the portal does.</summary>
    public void SetEnabled(string version, bool enabled, string name = DefaultSecretName)
    {
        lock (_sync)
        {
            var versions = _secrets[name];
            var index = versions.FindIndex(v => v.Properties.Version == version);
            var changed = Copy(versions[index], versions[index].Properties.Version, versions[index].Properties.CreatedOn);
            changed.Properties.Enabled = enabled;
            versions[index] = changed;
            _stored[_stored.FindIndex(v => v.Properties.Name == name && v.Properties.Version == version)] = changed;
        }
    }

    /// <summary>A failure as the SDK throws it for a status the service answered.</summary>
    public static RequestFailedException Failure(int status, string errorCode = "Error", string? message = null) =>
        new(status, message ?? $"Service request failed. Status: {status} ({errorCode})", errorCode, null);

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        GetSecretAsync(name, version, null, cancellationToken);

    public override async Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default)
    {
        // Counted when it is made, before any latency or hold: a read held open has been made.
        Interlocked.Increment(ref _reads);
        lock (_sync)
        {
            _readRequests.Add((name, string.IsNullOrEmpty(version) ? null : version));
        }

        await DelayAsync(cancellationToken).ConfigureAwait(false);

        if (BeforeRead is { } hold)
        {
            await hold(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfFaulted(VaultOperation.Read, ReadFailure);
        if (ReadAnswer is { } answer)
        {
            return answer();
        }

        KeyVaultSecret? found;
        lock (_sync)
        {
            found = _secrets.TryGetValue(name, out var versions) && versions.Count > 0
                ? string.IsNullOrEmpty(version) ? versions[^1] : versions.Find(v => string.Equals(v.Properties.Version, version, StringComparison.OrdinalIgnoreCase))
                : null;
        }

        if (KeyVaultRules.RefuseName(name) is { } invalid)
        {
            throw RefusalResponse.Exception(invalid);
        }

        if (found is null)
        {
            throw RefusalResponse.Exception(KeyVaultRules.NotFound(string.IsNullOrEmpty(version) ? name : $"{name}/{version}"));
        }

        if (found.Properties.Enabled == false)
        {
            throw RefusalResponse.Exception(KeyVaultRules.Disabled);
        }

        return Response.FromValue(found, new StatusOnlyResponse(200));
    }

    public override async Task<Response<KeyVaultSecret>> SetSecretAsync(KeyVaultSecret secret, CancellationToken cancellationToken = default)
    {
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        if (BeforeWrite is { } hold)
        {
            await hold(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _writes);
        lock (_sync)
        {
            _sent.Add(secret);
        }

        ThrowIfFaulted(VaultOperation.Write, WriteFailure);
        if ((KeyVaultRules.RefuseName(secret.Name) ?? KeyVaultRules.RefuseSet(secret.Value, secret.Properties.ContentType, secret.Properties.Tags.AsReadOnly())) is { } refusal)
        {
            throw RefusalResponse.Exception(refusal);
        }

        return Response.FromValue(Store(secret, null), new StatusOnlyResponse(200));
    }

    public override Task<Response<KeyVaultSecret>> SetSecretAsync(string name, string value, CancellationToken cancellationToken = default) =>
        SetSecretAsync(new KeyVaultSecret(name, value), cancellationToken);

    private KeyVaultSecret Store(KeyVaultSecret secret, string? version)
    {
        lock (_sync)
        {
            var stored = Copy(secret, version ?? Guid.NewGuid().ToString("N"), _time.GetUtcNow());
            Add(stored);
            return stored;
        }
    }

    private void Add(KeyVaultSecret stored)
    {
        if (!_secrets.TryGetValue(stored.Name, out var versions))
        {
            _secrets[stored.Name] = versions = [];
        }

        versions.Add(stored);
        _stored.Add(stored);
    }

    private NotSupportedException Unmodelled(string operation)
    {
        lock (_sync)
        {
            _otherCalls.Add(operation);
        }

        return new NotSupportedException($"The in-memory vault models get and set only; {operation} was called.");
    }

    private KeyVaultSecret Copy(KeyVaultSecret secret, string version, DateTimeOffset? createdOn)
    {
        var properties = SecretModelFactory.SecretProperties(
            new Uri(VaultUri, $"secrets/{secret.Name}/{version}"),
            VaultUri,
            secret.Name,
            version,
            createdOn: createdOn,
            updatedOn: _time.GetUtcNow());
        // As the service: a version is enabled unless the write said otherwise.
        properties.Enabled = secret.Properties.Enabled ?? true;
        properties.ExpiresOn = secret.Properties.ExpiresOn;
        properties.NotBefore = secret.Properties.NotBefore;
        properties.ContentType = secret.Properties.ContentType;
        foreach (var tag in secret.Properties.Tags)
        {
            properties.Tags[tag.Key] = tag.Value;
        }

        return SecretModelFactory.KeyVaultSecret(properties, secret.Value);
    }

    private void ThrowIfFaulted(VaultOperation operation, Exception? always)
    {
        if (always is not null)
        {
            throw always;
        }

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
            await Task.Delay(Latency, TimeProvider.System, cancellationToken);
        }
        else if (YieldEachCall)
        {
            // Callers still interleave, as they would over the network.
            await Task.Yield();
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_sync)
        {
            return read();
        }
    }
}
