namespace WelkinTokenRefresher.Sandbox.Welkin;

/// <summary>The kinds of misbehaviour the Welkin emulator can inject into a token request.</summary>
public enum WelkinFaultKind
{
    /// <summary>Answer an error status (see <see cref="WelkinFault.StatusCode"/>, <see cref="WelkinFault.RetryAfter"/>).</summary>
    Status,

    /// <summary>Process normally but wait <see cref="WelkinFault.Delay"/> before sending headers.</summary>
    SlowHeaders,

    /// <summary>Process normally, send headers at once, then drip the body over <see cref="WelkinFault.Delay"/>.</summary>
    SlowBody,

    /// <summary>Reset the connection without answering.</summary>
    ConnectionReset,

    /// <summary>200 with a plain-text body.</summary>
    NotJson,

    /// <summary>200 with an HTML page, as a proxy or gateway would send.</summary>
    Html,

    /// <summary>200 with no body at all.</summary>
    EmptyBody,

    /// <summary>200 with JSON that has <c>expiresAt</c> but no <c>token</c>.</summary>
    JsonWithoutToken,

    /// <summary>200 with <c>"token": ""</c>.</summary>
    EmptyToken,

    /// <summary>200 with a valid token and no <c>expiresAt</c> (the JWT <c>exp</c> claim is still right).</summary>
    MissingExpiresAt,

    /// <summary>200 with a valid token and an <c>expiresAt</c> that is not a date.</summary>
    UnparseableExpiresAt,

    /// <summary>200 with a token whose <c>exp</c> and <c>expiresAt</c> are an hour in the past.</summary>
    ExpiryInPast,

    /// <summary>200 with a token that expires 30 seconds from now.</summary>
    ExpiryWithinMinute,

    /// <summary>200 with a 2 MB JSON body (a token of that size).</summary>
    HugeBody,

    /// <summary>
    /// 200 with a 30,000-character token: an answer of about 30 KB, well under a 64 KiB answer limit, but more than the
    /// 25,600 characters Key Vault stores in a secret.
    /// </summary>
    OversizedToken,
}
