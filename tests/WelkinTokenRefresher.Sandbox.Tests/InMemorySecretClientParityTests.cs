using Azure;
using Azure.Security.KeyVault.Secrets;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.TestSupport.KeyVault;

namespace WelkinTokenRefresher.Sandbox.Tests;

/// <summary>
/// The tests' in-memory SecretClient and the real SecretClient against the emulator give the same answer to the same
/// refusal: status, error code, the message's first line and the error body the exception carries. Unit tests that run
/// on the in-memory client then see what the refresher and the client library see against a vault.
/// </summary>
[Collection(ManagedIdentityTests.Name)]
public sealed class InMemorySecretClientParityTests(ManagedIdentityEnvironment environment)
{
    private readonly WelkinSandbox _sandbox = environment.Sandbox;

    public static TheoryData<string> Refusals => new()
    {
        "disabled",
        "unknown secret",
        "invalid name",
        "value too long",
        "too many tags",
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Both_clients_refuse_alike(string refusal)
    {
        var name = "p-" + Guid.NewGuid().ToString("N")[..12];
        var real = SecretClients.Create(_sandbox);
        var inMemory = new InMemorySecretClient(TimeProvider.System, _sandbox.VaultUri);
        if (refusal == "disabled")
        {
            var seeded = _sandbox.KeyVault.Seed(name, "value");
            _sandbox.KeyVault.SetEnabled(name, seeded.Version, enabled: false);
            inMemory.Seed("value", TimeProvider.System.GetUtcNow(), null, enabled: false, name: name);
        }

        var overWire = await Assert.ThrowsAsync<RequestFailedException>(() => Call(real, refusal, name));
        var inProcess = await Assert.ThrowsAsync<RequestFailedException>(() => Call(inMemory, refusal, name));

        Assert.Equal((overWire.Status, overWire.ErrorCode), (inProcess.Status, inProcess.ErrorCode));
        Assert.Equal(FirstLine(overWire.Message), FirstLine(inProcess.Message));
        Assert.Equal(Content(overWire.Message), Content(inProcess.Message));
    }

    private static Task<Response<KeyVaultSecret>> Call(SecretClient client, string refusal, string name) => refusal switch
    {
        "disabled" or "unknown secret" => client.GetSecretAsync(name),
        "invalid name" => client.GetSecretAsync(name + "_x"),
        "value too long" => client.SetSecretAsync(name, new string('x', KeyVaultRules.MaxValueLength + 1)),
        _ => client.SetSecretAsync(WithTags(new KeyVaultSecret(name, "value"), KeyVaultRules.MaxTags + 1)),
    };

    private static KeyVaultSecret WithTags(KeyVaultSecret secret, int count)
    {
        for (var i = 0; i < count; i++)
        {
            secret.Properties.Tags[$"t{i}"] = "v";
        }

        return secret;
    }

    private static string FirstLine(string message) => message.Split('\n')[0];

    // The error body the SDK quotes between "Content:" and "Headers:".
    private static string Content(string message) => message.Split("Content:")[1].Split("Headers:")[0].Trim();
}
