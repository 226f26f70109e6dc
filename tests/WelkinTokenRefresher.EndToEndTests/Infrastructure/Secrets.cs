using WelkinTokenRefresher.Sandbox;

namespace WelkinTokenRefresher.EndToEndTests.Infrastructure;

/// <summary>Asserts that captured output holds none of the values that must never be printed, logged or answered.</summary>
internal static class Secrets
{
    /// <summary>
    /// The sandbox Welkin secret (and <paramref name="alsoForbidden"/>, e.g. a secret since rotated), the identity header,
    /// every token value in the vault, and anything that looks like a JWT: Welkin tokens and managed identity tokens are
    /// both JWTs, whose header always starts with "eyJ" (base64url of <c>{"</c>), so tokens issued but never stored are covered too.
    /// </summary>
    public static void AssertNoneIn(string output, WelkinSandbox sandbox, params string[] alsoForbidden)
    {
        var forbidden = new List<string>(alsoForbidden) { sandbox.Secret, sandbox.IdentityHeader, "eyJ" };
        foreach (var name in sandbox.KeyVault.SecretNames)
        {
            forbidden.AddRange(sandbox.KeyVault.GetVersions(name).Select(version => version.Value));
        }

        foreach (var value in forbidden.Where(value => value.Length > 0))
        {
            Assert.False(output.Contains(value, StringComparison.Ordinal), $"A secret value ({value[..Math.Min(6, value.Length)]}...) appears in the output:\n{output}");
        }
    }
}
