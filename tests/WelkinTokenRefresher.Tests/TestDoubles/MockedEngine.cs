using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Moq;
using WelkinTokenRefresher.Core.Configuration;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Tests.TestDoubles;

/// <summary>
/// The registered <see cref="ITokenRefresher"/> over a mocked <see cref="ITokenVault"/> and <see cref="IWelkinTokenClient"/>.
/// </summary>
public sealed class MockedEngine : IDisposable
{
    public const string SecretName = "welkin-api-token";

    private readonly RefresherHarness _harness;

    public MockedEngine(Action<Dictionary<string, string?>>? configure = null)
    {
        Vault.SetupGet(v => v.SecretName).Returns(SecretName);
        _harness = new RefresherHarness(configure, services =>
        {
            // The default client's keyed services, which its refresher resolves (the last registration of a key wins).
            services.AddKeyedSingleton(WelkinClientSettings.DefaultName, Vault.Object);
            services.AddKeyedSingleton(WelkinClientSettings.DefaultName, Welkin.Object);
        });
    }

    public Mock<ITokenVault> Vault { get; } = new(MockBehavior.Strict);

    public Mock<IWelkinTokenClient> Welkin { get; } = new(MockBehavior.Strict);

    public FakeTimeProvider Time => _harness.Time;

    public DateTimeOffset Now => _harness.Time.GetUtcNow();

    public FakeLogCollector Logs => _harness.Logs;

    public ITokenRefresher Refresher => _harness.Refresher;

    public IServiceProvider Services => _harness.Services;

    public static StoredToken Stored(string version, DateTimeOffset issuedAt, DateTimeOffset? expiresAt) => new(SecretName, version, issuedAt, expiresAt);

    public IssuedToken Issued(string value = "new-token") => new(value, Now, Now.AddHours(1), ExpirySource.ExpiresAtField);

    public void VaultHolds(VaultReading reading) =>
        Vault.Setup(v => v.ReadCurrentAsync(It.IsAny<CancellationToken>())).ReturnsAsync(reading);

    public void VaultHoldsTokenAged(TimeSpan age, TimeSpan? lifetime = null) =>
        VaultHolds(VaultReading.Present(Stored("v-current", Now - age, Now - age + (lifetime ?? TimeSpan.FromHours(1)))));

    /// <summary>Welkin issues <paramref name="token"/>; the vault stores it as version <paramref name="version"/>.</summary>
    public void RefreshSucceedsWith(IssuedToken token, string version = "v-new")
    {
        Welkin.Setup(w => w.RequestTokenAsync(It.IsAny<CancellationToken>())).ReturnsAsync(token);
        Vault.Setup(v => v.WriteAsync(It.IsAny<IssuedToken>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IssuedToken t, CancellationToken _) => Stored(version, t.IssuedAt, t.ExpiresAt));
    }

    public int WelkinCalls => Welkin.Invocations.Count(i => i.Method.Name == nameof(IWelkinTokenClient.RequestTokenAsync));

    public int VaultWrites => Vault.Invocations.Count(i => i.Method.Name == nameof(ITokenVault.WriteAsync));

    public bool Logged(int eventId) => Logs.GetSnapshot().Any(r => r.Id.Id == eventId);

    public void Dispose() => _harness.Dispose();
}
