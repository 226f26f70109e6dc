using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.Client.Tests.OverTheWire;

/// <summary>
/// A consumer never turns an outage into a vault storm: against the sandbox's Key Vault over HTTPS with the real
/// SecretClient, whatever the vault answers, one read per <see cref="WelkinTokenSourceOptions.MinimumReadInterval"/>.
/// </summary>
[Collection(SandboxVaultTests.Name)]
public sealed class VaultStormTests
{
    private const int Callers = 200;

    private static readonly TimeSpan CallEvery = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan Storm = TimeSpan.FromSeconds(60);

    /// <summary>Each failure the vault can give: the reason callers see, the requests the SDK makes per read (2 retries on 429 and 5xx), and when the second read begins.</summary>
    public static TheoryData<string, WelkinTokenUnavailableReason, int, int> Failures => new()
    {
        { "expired", WelkinTokenUnavailableReason.Expired, 1, 30 },
        { "disabled", WelkinTokenUnavailableReason.Disabled, 1, 30 },
        { "not-found", WelkinTokenUnavailableReason.SecretNotFound, 1, 30 },
        { "forbidden", WelkinTokenUnavailableReason.Forbidden, 1, 30 },
        { "throttled", WelkinTokenUnavailableReason.Throttled, 3, 30 },
        // A Retry-After longer than the SDK's 5 s between tries ends the read at once, and is honoured by the source.
        { "throttled-retry-after-45s", WelkinTokenUnavailableReason.Throttled, 1, 45 },
        { "unavailable", WelkinTokenUnavailableReason.VaultUnavailable, 3, 30 },
        { "connection-refused", WelkinTokenUnavailableReason.VaultUnavailable, 0, 30 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Two_hundred_callers_every_10_ms_for_60_simulated_seconds_make_at_most_2_reads_whatever_the_vault_answers(
        string failure, WelkinTokenUnavailableReason reason, int requestsPerRead, int secondReadAt)
    {
        await using var consumer = await WireConsumer.StartAsync(vaultRefusesConnections: failure == "connection-refused");
        Arrange(consumer, failure);
        DateTimeOffset start = consumer.Time.GetUtcNow();
        var readsBegan = new List<double>();
        long calls = 0;

        for (TimeSpan elapsed = TimeSpan.Zero; elapsed < Storm; elapsed += CallEvery)
        {
            consumer.Time.SetUtcNow(start + elapsed);
            int readsBefore = consumer.ClientReads;
            foreach (Task<WelkinToken> call in await consumer.CallAsync(Callers))
            {
                var unavailable = Assert.IsType<WelkinTokenUnavailableException>(call.Exception?.InnerException);
                Assert.Equal(reason, unavailable.Reason);
                calls++;
            }

            if (consumer.ClientReads != readsBefore)
            {
                readsBegan.Add(elapsed.TotalSeconds);
            }
        }

        Assert.Equal(1_200_000, calls);
        Assert.Equal([0, secondReadAt], readsBegan);
        Assert.Equal(2, consumer.ClientReads);
        Assert.Equal(2 * requestsPerRead, consumer.Sandbox.KeyVault.Counters.Reads);
        Assert.Equal(2, consumer.Logs.Count(log => log.Category == typeof(KeyVaultWelkinTokenSource).FullName));
    }

    [Fact]
    public async Task During_a_one_hour_refresher_outage_a_consumer_makes_at_most_120_reads_and_picks_up_the_repair_within_the_interval()
    {
        await using var consumer = await WireConsumer.StartAsync();
        KeyVaultEmulator vault = consumer.Sandbox.KeyVault;
        string secret = consumer.Sandbox.SecretName;
        DateTimeOffset start = consumer.Time.GetUtcNow();
        DateTimeOffset expiry = vault.Seed(secret, "eyJhbGciOiJSUzI1NiJ9.outage-before.c2ln", expiresOn: start.AddMinutes(2)).ExpiresOn!.Value;
        DateTimeOffset outageEnds = expiry.AddHours(1);
        DateTimeOffset repairedAt = outageEnds.AddSeconds(7);
        string? repaired = null;
        DateTimeOffset? pickedUp = null;
        var readsDuringOutage = 0;

        for (DateTimeOffset now = start; now < repairedAt.AddMinutes(1); now += TimeSpan.FromSeconds(1))
        {
            consumer.Time.SetUtcNow(now);
            if (repaired is null && now >= repairedAt)
            {
                repaired = vault.Seed(secret, "eyJhbGciOiJSUzI1NiJ9.outage-after.c2ln", expiresOn: now.AddHours(1)).Version;
            }

            int readsBefore = consumer.ClientReads;
            foreach (Task<WelkinToken> call in await consumer.CallAsync(10))
            {
                if (now < expiry || pickedUp is not null)
                {
                    Assert.True(call.IsCompletedSuccessfully, $"at {now:O}: {call.Exception?.InnerException?.Message}");
                }
                else if (call.IsCompletedSuccessfully)
                {
                    Assert.Equal(repaired, (await call).Version);
                    pickedUp = now;
                }
                else
                {
                    Assert.Equal(WelkinTokenUnavailableReason.Expired, Assert.IsType<WelkinTokenUnavailableException>(call.Exception?.InnerException).Reason);
                }
            }

            if (now >= expiry && now < outageEnds)
            {
                readsDuringOutage += consumer.ClientReads - readsBefore;
            }
        }

        Assert.InRange(readsDuringOutage, 1, 120);
        Assert.NotNull(pickedUp);
        Assert.InRange(pickedUp.Value - repairedAt, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Equal(consumer.ClientReads, consumer.Sandbox.KeyVault.Counters.Reads);
    }

    private static void Arrange(WireConsumer consumer, string failure)
    {
        KeyVaultEmulator vault = consumer.Sandbox.KeyVault;
        string secret = consumer.Sandbox.SecretName;
        DateTimeOffset now = consumer.Time.GetUtcNow();
        const int Always = 1_000_000;
        switch (failure)
        {
            case "expired":
                vault.Seed(secret, "eyJhbGciOiJSUzI1NiJ9.expired.c2ln", expiresOn: now.AddMinutes(-1));
                break;
            case "disabled":
                vault.Seed(secret, "eyJhbGciOiJSUzI1NiJ9.disabled.c2ln", expiresOn: now.AddHours(1), enabled: false);
                break;
            case "forbidden":
                vault.Seed(secret, "eyJhbGciOiJSUzI1NiJ9.forbidden.c2ln", expiresOn: now.AddHours(1));
                vault.Access.DefaultRole = KeyVaultRole.None;
                break;
            case "throttled":
                vault.Faults.Enqueue(KeyVaultFault.Status(429, KeyVaultOperation.GetSecret), Always);
                break;
            case "throttled-retry-after-45s":
                vault.Faults.Enqueue(KeyVaultFault.Throttled(KeyVaultOperation.GetSecret, TimeSpan.FromSeconds(45)), Always);
                break;
            case "unavailable":
                vault.Faults.Enqueue(KeyVaultFault.Status(503, KeyVaultOperation.GetSecret), Always);
                break;
            default:
                // "not-found": an empty vault; "connection-refused": nothing listens at the configured vault URI.
                break;
        }
    }
}
