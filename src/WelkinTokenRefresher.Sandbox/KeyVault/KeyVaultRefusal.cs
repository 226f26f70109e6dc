using System.Text.Json;
using WelkinTokenRefresher.Sandbox.Json;

namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>
/// An error answer of Key Vault's: the status and the body <c>{"error":{"code","message","innererror":{"code"}}}</c>.
/// The emulator sends it over the wire; the tests' in-memory SecretClient turns the same bytes into the SDK's exception.
/// </summary>
/// <param name="InnerCode">The <c>innererror.code</c>, when Key Vault gives one (e.g. <c>SecretDisabled</c>).</param>
public sealed record KeyVaultRefusal(int Status, string Code, string Message, string? InnerCode = null)
{
    /// <summary>The HTTP reason phrase of <see cref="Status"/>, as the SDK prints it ("Status: 403 (Forbidden)").</summary>
    public string ReasonPhrase => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(Status);

    /// <summary>The answer's body, UTF-8 JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new KeyVaultErrorBody(new KeyVaultError(Code, Message, InnerCode is null ? null : new KeyVaultInnerError(InnerCode))),
        SandboxJsonContext.Default.KeyVaultErrorBody);
}
