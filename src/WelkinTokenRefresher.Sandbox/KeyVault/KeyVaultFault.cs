namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>One injected misbehaviour of the Key Vault emulator, for one operation kind or any.</summary>
public sealed record KeyVaultFault
{
    private KeyVaultFault(KeyVaultOperation? operation) => Operation = operation;

    /// <summary>The operation this fault answers, or null for whichever authenticated operation comes next.</summary>
    public KeyVaultOperation? Operation { get; }

    /// <summary>The error status answered, or null for the delay and reset kinds.</summary>
    public int? StatusCode { get; private init; }

    /// <summary>The Retry-After of a 429; when null, the emulator's default (Key Vault always sends one) unless <see cref="OmitRetryAfter"/>.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>A 429 without Retry-After, which Key Vault does not send: for testing a client's fallback.</summary>
    public bool OmitRetryAfter { get; private init; }

    /// <summary>Wait this long, then carry the operation out normally (the client's timeout decides).</summary>
    public TimeSpan? Delay { get; private init; }

    public bool ConnectionReset { get; private init; }

    /// <summary>
    /// An error answer in Key Vault's format: 401 Unauthorized (with the challenge, so SecretClient
    /// re-authenticates and retries once), 403 Forbidden, 404 SecretNotFound, 409 Conflict, 429 Throttled,
    /// 500 InternalServerError, 503 ServiceUnavailable, or any other 4xx/5xx.
    /// </summary>
    public static KeyVaultFault Status(int statusCode, KeyVaultOperation? operation = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new(operation) { StatusCode = statusCode, RetryAfter = retryAfter };
    }

    /// <summary>429 Throttled with a Retry-After (the emulator's default when none is given), as Key Vault sends it.</summary>
    public static KeyVaultFault Throttled(KeyVaultOperation? operation = null, TimeSpan? retryAfter = null) =>
        Status(429, operation, retryAfter);

    /// <summary>429 Throttled with no Retry-After at all.</summary>
    public static KeyVaultFault ThrottledWithoutRetryAfter(KeyVaultOperation? operation = null) =>
        Status(429, operation) with { OmitRetryAfter = true };

    /// <summary>A slow answer: waits on the emulator's clock (or until the client gives up) before the operation runs.</summary>
    public static KeyVaultFault Slow(TimeSpan delay, KeyVaultOperation? operation = null) => new(operation) { Delay = delay };

    public static KeyVaultFault Reset(KeyVaultOperation? operation = null) => new(operation) { ConnectionReset = true };
}
