namespace WelkinTokenRefresher.Sandbox.Hosting;

/// <summary>What an emulator decided to answer; <see cref="EmulatorResponseWriter"/> puts it on the wire.</summary>
internal sealed record EmulatorResponse(int StatusCode, byte[] Body, string? ContentType = "application/json")
{
    public static EmulatorResponse Abort { get; } = new(0, []) { AbortConnection = true };

    /// <summary>Reset the connection instead of answering.</summary>
    public bool AbortConnection { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public string? WwwAuthenticate { get; init; }

    /// <summary>Send the headers at once, then the body in this many chunks separated by <see cref="DripInterval"/>.</summary>
    public int DripChunks { get; init; }

    public TimeSpan DripInterval { get; init; }
}
