namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>An HTTP request to the vault, stripped to what the emulator decides on.</summary>
/// <param name="VaultBase">Scheme and authority the caller used, e.g. <c>https://127.0.0.1:5001</c>: ids are built from it.</param>
/// <param name="Deleted">True for <c>/deletedsecrets…</c>, false for <c>/secrets…</c>.</param>
/// <param name="Segments">Path segments after the collection (<c>/secrets</c> or <c>/deletedsecrets</c>).</param>
internal sealed record KeyVaultRequest(
    string Method,
    string VaultBase,
    bool Deleted,
    IReadOnlyList<string> Segments,
    Func<string, string?> Query,
    string? Authorization,
    byte[] Body);
