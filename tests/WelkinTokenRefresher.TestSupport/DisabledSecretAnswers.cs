namespace WelkinTokenRefresher.TestSupport;

/// <summary>
/// Key Vault refusals of a read, and whether each means "this secret is disabled". Core's vault store and the client
/// library are both tested against this one list, so their rule cannot drift apart again.
/// </summary>
public static class DisabledSecretAnswers
{
    private const string DisabledMessage = "Operation get is not allowed on a disabled secret.";

    /// <summary>status, error code, message, disabled?</summary>
    public static IEnumerable<object?[]> All =>
    [
        [403, "SecretDisabled", "Forbidden.", true],
        [403, "secretdisabled", "Forbidden.", true],
        [403, "SECRETDISABLED", "Forbidden.", true],
        [403, "Forbidden", DisabledMessage, true],
        [403, "Forbidden", DisabledMessage.ToUpperInvariant(), true],
        [403, "Forbidden", "Status: 403 (Forbidden) ErrorCode: Forbidden Content: {\"innererror\":{\"code\":\"secretDisabled\"}}", true],
        [403, null, DisabledMessage, true],
        [403, "Forbidden", "The user, group or application does not have secrets get permission.", false],
        [403, "ForbiddenByPolicy", "Caller is not authorized to perform action on resource.", false],
        [403, null, "Forbidden.", false],
        [404, "SecretDisabled", "A secret with (name/id) welkin-api-token was not found in this key vault.", false],
        [401, "Unauthorized", DisabledMessage, false],
    ];
}
