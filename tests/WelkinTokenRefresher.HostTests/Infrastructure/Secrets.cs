using WelkinTokenRefresher.Sandbox;
using WelkinTokenRefresher.TestSupport.FunctionsHost;

namespace WelkinTokenRefresher.HostTests.Infrastructure;

/// <summary>Asserts that what the worker emitted and answered holds none of the values that must never leave it.</summary>
internal static class Secrets
{
    /// <summary>
    /// The Welkin secret, the identity header, every token value in the vault, and anything that looks like a JWT
    /// (Welkin and managed identity tokens are JWTs, whose header always starts with "eyJ"), in every RpcLog line
    /// (message and exception), the worker's stdout and stderr, and <paramref name="outputs"/> (HTTP bodies, exceptions).
    /// </summary>
    public static void AssertNoneIn(WelkinSandbox sandbox, IReadOnlyList<Microsoft.Azure.Functions.Worker.Grpc.Messages.RpcLog> logs, string standardOutput, string standardError, params string?[] outputs)
    {
        var forbidden = new List<string> { sandbox.Secret, sandbox.IdentityHeader, "eyJ" };
        foreach (var name in sandbox.KeyVault.SecretNames)
        {
            forbidden.AddRange(sandbox.KeyVault.GetVersions(name).Select(version => version.Value));
        }

        var emitted = logs.Select(log => $"[{log.Category}] {log.Message} {log.Exception?.Message} {log.Exception?.StackTrace}")
            .Append(standardOutput)
            .Append(standardError)
            .Concat(outputs.Select(output => output ?? ""));
        foreach (var text in emitted)
        {
            foreach (var value in forbidden.Where(value => value.Length > 0))
            {
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"A secret value ({value[..Math.Min(6, value.Length)]}...) appears in what the worker emitted:\n{text}");
            }
        }
    }

    public static void AssertNoneIn(WelkinSandbox sandbox, FunctionsHost host, params string?[] outputs) =>
        AssertNoneIn(sandbox, host.Logs, host.StandardOutput, host.StandardError, outputs);
}
