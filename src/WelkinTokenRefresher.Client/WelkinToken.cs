namespace WelkinTokenRefresher.Client;

/// <summary>
/// A Welkin bearer token as read from Key Vault.
/// </summary>
/// <param name="Value">The bearer token exactly as Welkin issued it (a JWT). Secret: never log it.</param>
/// <param name="ExpiresOn">When the token expires (the secret's <c>ExpiresOn</c>).</param>
/// <param name="Version">The Key Vault version of the secret that held the token.</param>
public sealed record WelkinToken(string Value, DateTimeOffset ExpiresOn, string Version)
{
    /// <summary>
    /// Describes the token without its value, so that logging or debugging a token never leaks it.
    /// </summary>
    /// <returns>The version and expiry, with the value masked.</returns>
    public override string ToString() =>
        $"WelkinToken {{ Version = {Version}, ExpiresOn = {ExpiresOn:O}, Value = *** }}";
}
