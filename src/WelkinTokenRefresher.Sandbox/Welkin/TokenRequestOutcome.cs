namespace WelkinTokenRefresher.Sandbox.Welkin;

/// <summary>How the Welkin emulator answered a token request.</summary>
public enum TokenRequestOutcome
{
    /// <summary>200 with a fresh token.</summary>
    Issued,

    /// <summary>400: malformed JSON or a missing field.</summary>
    BadRequest,

    /// <summary>401: unknown API client or wrong secret.</summary>
    InvalidCredentials,

    /// <summary>429: the client is blocked for exceeding the rate limit.</summary>
    RateLimited,

    /// <summary>An injected fault answered.</summary>
    Faulted,

    /// <summary>The outage mode answered.</summary>
    Outage,
}
