using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Time.Testing;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.Sandbox.Tests;

/// <summary>
/// The emulator refuses what Key Vault refuses, through the real SecretClient, in Key Vault's error shape: values over
/// 25,600 characters, more than 15 tags, tag names or values over 512 characters, a content type over 255, names outside
/// 1-127 of <c>0-9a-zA-Z-</c> (400 BadParameter); a write to a soft-deleted name (409 Conflict); more than 4,000
/// transactions in 10 seconds (429 Throttled with Retry-After). Each limit itself is accepted.
/// </summary>
[Collection(ManagedIdentityTests.Name)]
public sealed class KeyVaultRefusalTests(ManagedIdentityEnvironment environment)
{
    private readonly WelkinSandbox _sandbox = environment.Sandbox;

    private static string NewName() => "r-" + Guid.NewGuid().ToString("N")[..12];

    private static Dictionary<string, string> Tags(int count, int nameLength = 8, int valueLength = 8) =>
        Enumerable.Range(0, count).ToDictionary(i => i.ToString("D" + nameLength, System.Globalization.CultureInfo.InvariantCulture), _ => new string('v', valueLength));

    public static TheoryData<string, string?, int, int, int, string> TooMuch => new()
    {
        { "value of 25,601 characters", null, 0, 8, 8, "Secret is beyond the maximum permitted length of 25600 characters." },
        { "16 tags", null, 16, 8, 8, "Property has invalid value" },
        { "a tag name of 513 characters", null, 1, 513, 8, "Property has invalid value" },
        { "a tag value of 513 characters", null, 1, 8, 513, "Property has invalid value" },
        { "a content type of 256 characters", new string('c', 256), 0, 8, 8, "Property has invalid value" },
    };

    [Theory]
    [MemberData(nameof(TooMuch))]
    public async Task A_write_Key_Vault_would_not_store_is_400_BadParameter_and_stores_nothing(string what, string? contentType, int tags, int tagNameLength, int tagValueLength, string message)
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        var secret = new KeyVaultSecret(name, new string('x', what.StartsWith("value", StringComparison.Ordinal) ? KeyVaultRules.MaxValueLength + 1 : 10));
        secret.Properties.ContentType = contentType;
        foreach (var (key, value) in Tags(tags, tagNameLength, tagValueLength))
        {
            secret.Properties.Tags[key] = value;
        }

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(secret));

        Assert.Equal((400, "BadParameter"), (refused.Status, refused.ErrorCode));
        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
        Assert.Empty(_sandbox.KeyVault.GetVersions(name));
    }

    [Fact]
    public async Task Every_limit_itself_is_stored()
    {
        var client = SecretClients.Create(_sandbox);
        var secret = new KeyVaultSecret(new string('a', 127), new string('x', KeyVaultRules.MaxValueLength)) { Properties = { ContentType = new string('c', 255) } };
        foreach (var (key, value) in Tags(15, 512, 512))
        {
            secret.Properties.Tags[key] = value;
        }

        KeyVaultSecret stored = await client.SetSecretAsync(secret);

        Assert.Equal(KeyVaultRules.MaxValueLength, (await client.GetSecretAsync(stored.Name)).Value.Value.Length);
        Assert.Equal(15, stored.Properties.Tags.Count);
    }

    [Theory]
    [InlineData("under_score")]
    [InlineData("dot.ted")]
    [InlineData("ünïcode")]
    [InlineData("a-name-of-128-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task A_name_outside_0_9_a_z_A_Z_dash_of_1_to_127_is_400_BadParameter_for_reads_and_writes(string name)
    {
        var client = SecretClients.Create(_sandbox);

        var write = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(name, "value"));
        var read = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));

        Assert.All(new[] { write, read }, refused =>
        {
            Assert.Equal((400, "BadParameter"), (refused.Status, refused.ErrorCode));
            Assert.StartsWith("The request URI contains an invalid name: ", refused.Message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(name, _sandbox.KeyVault.SecretNames);
    }

    [Fact]
    public async Task A_soft_deleted_name_is_409_Conflict_until_it_is_recovered_or_purged()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        await client.SetSecretAsync(name, "first");

        var deletion = await client.StartDeleteSecretAsync(name);
        await deletion.WaitForCompletionAsync();
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));
        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(name, "second"));

        Assert.Equal((404, "SecretNotFound"), (gone.Status, gone.ErrorCode));
        Assert.Equal((409, "Conflict"), (conflict.Status, conflict.ErrorCode));
        Assert.StartsWith($"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("ObjectIsDeletedButRecoverable", conflict.Message, StringComparison.Ordinal);
        DeletedSecret deleted = await client.GetDeletedSecretAsync(name);
        Assert.Equal(deleted.DeletedOn!.Value.AddDays(90), deleted.ScheduledPurgeDate);

        var recovery = await client.StartRecoverDeletedSecretAsync(name);
        await recovery.WaitForCompletionAsync();
        Assert.Equal("first", (await client.GetSecretAsync(name)).Value.Value);
        await client.SetSecretAsync(name, "second");

        await (await client.StartDeleteSecretAsync(name)).WaitForCompletionAsync();
        await client.PurgeDeletedSecretAsync(name);
        var purged = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetDeletedSecretAsync(name));
        Assert.Equal(404, purged.Status);
        await client.SetSecretAsync(name, "third");
        Assert.Equal(["third"], _sandbox.KeyVault.GetVersions(name).Select(v => v.Value));
    }

    [Fact]
    public async Task Beyond_the_service_limit_requests_are_429_Throttled_with_Retry_After_until_the_window_has_room()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { TimeProvider = time, KeyVaultTransactionsPer10Seconds = 3 });
        environment.Publish(sandbox);
        try
        {
            var client = SecretClients.Create(sandbox);
            var name = NewName();
            sandbox.KeyVault.Seed(name, "value");
            for (var i = 0; i < 3; i++)
            {
                await client.GetSecretAsync(name);
                time.Advance(TimeSpan.FromSeconds(1));
            }

            var throttled = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));
            time.Advance(TimeSpan.FromSeconds(7));
            KeyVaultSecret after = await client.GetSecretAsync(name);

            Assert.Equal((429, "Throttled"), (throttled.Status, throttled.ErrorCode));
            // The oldest of the three leaves the window 10 s after it arrived: 7 s from the refused request.
            Assert.Equal("7", throttled.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter) ? retryAfter : null);
            Assert.Equal("value", after.Value);
        }
        finally
        {
            environment.Publish(environment.Sandbox);
        }
    }

    [Fact]
    public async Task An_injected_429_carries_Retry_After_unless_told_not_to()
    {
        var client = SecretClients.Create(_sandbox);
        var name = NewName();
        _sandbox.KeyVault.Seed(name, "value");

        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.Status(429, KeyVaultOperation.GetSecret));
        var byDefault = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));
        _sandbox.KeyVault.Faults.Enqueue(KeyVaultFault.ThrottledWithoutRetryAfter(KeyVaultOperation.GetSecret));
        var without = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync(name));

        Assert.Equal("1", byDefault.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter) ? retryAfter : null);
        Assert.False(without.GetRawResponse()!.Headers.TryGetValue("Retry-After", out _));
        Assert.Equal((429, 429), (byDefault.Status, without.Status));
    }
}
