namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>An HTTP request to the vault, stripped to what the emulator decides on.</summary>
/// <param name="VaultBase">Scheme and authority the caller used, e.g. <c>https://127.0.0.1:5001</c>: ids are built from it.</param>
/// <param name="Segments">Path segments after <c>/secrets</c>.</param>
internal sealed record KeyVaultRequest(
    string Method,
    string VaultBase,
    IReadOnlyList<string> Segments,
    Func<string, string?> Query,
    string? Authorization,
    byte[] Body);
