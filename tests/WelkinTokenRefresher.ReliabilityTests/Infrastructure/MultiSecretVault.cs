using Azure;
using Azure.Security.KeyVault.Secrets;

namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>A vault of several secrets shared by app instances: one <see cref="InMemorySecretClient"/> per secret name.</summary>
public sealed class MultiSecretVault(TimeProvider time) : SecretClient
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, InMemorySecretClient> _secrets = new(StringComparer.OrdinalIgnoreCase);

    public InMemorySecretClient Secret(string name) => _secrets.GetOrAdd(name, _ => new InMemorySecretClient(time) { Latency = Latency });

    /// <summary>Real-time latency of each call, for secrets created from now on.</summary>
    public TimeSpan Latency { get; init; }

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        Secret(name).GetSecretAsync(name, version, cancellationToken);

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default) =>
        Secret(name).GetSecretAsync(name, version, outContentType, cancellationToken);

    public override Task<Response<KeyVaultSecret>> SetSecretAsync(KeyVaultSecret secret, CancellationToken cancellationToken = default) =>
        Secret(secret.Name).SetSecretAsync(secret, cancellationToken);
}
