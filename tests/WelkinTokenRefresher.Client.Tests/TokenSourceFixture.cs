using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>
/// A token source over a <see cref="FakeVault"/>, a <see cref="FakeTimeProvider"/> and captured logs.
/// </summary>
internal sealed class TokenSourceFixture
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    public TokenSourceFixture(Action<WelkinTokenSourceOptions>? configure = null)
    {
        Options = new WelkinTokenSourceOptions { VaultUri = FakeVault.VaultUri, SecretName = FakeVault.SecretName };
        configure?.Invoke(Options);
        Source = new KeyVaultWelkinTokenSource(
            Vault.Client,
            Microsoft.Extensions.Options.Options.Create(Options),
            Time,
            new FakeLogger<KeyVaultWelkinTokenSource>(Logs));
    }

    public FakeVault Vault { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeLogCollector Logs { get; } = new();

    public WelkinTokenSourceOptions Options { get; }

    public KeyVaultWelkinTokenSource Source { get; }

    /// <summary>Puts a one-hour token issued now into the vault and reads it into the cache.</summary>
    public async Task<WelkinToken> WarmAsync(string version = "v1")
    {
        Vault.Holds(version, Time.GetUtcNow().AddHours(1));
        return await Source.GetTokenAsync();
    }

    public IEnumerable<string> LoggedText() =>
        Logs.GetSnapshot().SelectMany(record => new[] { record.Message, record.Exception?.ToString() ?? string.Empty });
}
