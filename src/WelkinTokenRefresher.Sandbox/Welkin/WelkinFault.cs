namespace WelkinTokenRefresher.Sandbox.Welkin;

/// <summary>One injected misbehaviour of the Welkin token endpoint. Build with the static factories.</summary>
public sealed record WelkinFault
{
    private WelkinFault(WelkinFaultKind kind) => Kind = kind;

    public WelkinFaultKind Kind { get; }

    /// <summary>For <see cref="WelkinFaultKind.Status"/>: the status code answered.</summary>
    public int StatusCode { get; private init; } = 200;

    /// <summary>For <see cref="WelkinFaultKind.Status"/>: the Retry-After header, when any.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>For the slow kinds: how long the headers wait, or how long the body drip lasts.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>An error status such as 400, 401, 403, 404, 408, 429, 500, 502, 503 or 504.</summary>
    public static WelkinFault Status(int statusCode, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new(WelkinFaultKind.Status) { StatusCode = statusCode, RetryAfter = retryAfter };
    }

    public static WelkinFault SlowHeaders(TimeSpan delay) => new(WelkinFaultKind.SlowHeaders) { Delay = delay };

    /// <summary>Drips the body in ten chunks spread over <paramref name="duration"/>.</summary>
    public static WelkinFault SlowBody(TimeSpan duration) => new(WelkinFaultKind.SlowBody) { Delay = duration };

    public static WelkinFault ConnectionReset() => new(WelkinFaultKind.ConnectionReset);

    /// <summary>A 200 answer with a malformed or suspicious body of the given kind.</summary>
    public static WelkinFault Malformed(WelkinFaultKind kind)
    {
        if (kind is WelkinFaultKind.Status or WelkinFaultKind.SlowHeaders or WelkinFaultKind.SlowBody or WelkinFaultKind.ConnectionReset)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a body fault; use the dedicated factory.");
        }

        return new(kind);
    }
}
