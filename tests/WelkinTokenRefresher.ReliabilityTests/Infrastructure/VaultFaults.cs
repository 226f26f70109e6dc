using System.Security.Authentication;
using Azure;

namespace WelkinTokenRefresher.ReliabilityTests.Infrastructure;

/// <summary>The exceptions the Key Vault SDK surfaces for each failure, after its own retries.</summary>
public static class VaultFaults
{
    public static Exception Status(int status, string errorCode) =>
        new RequestFailedException(status, $"Service request failed. Status: {status} ({errorCode})", errorCode, null);

    public static Exception Timeout() =>
        new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:10.");

    public static Exception Tls() =>
        new RequestFailedException(
            "The SSL connection could not be established, see inner exception.",
            new HttpRequestException("The SSL connection could not be established, see inner exception.",
                new AuthenticationException("The remote certificate is invalid according to the validation procedure.")));

    public static Exception ByName(string fault) => fault switch
    {
        "401" => Status(401, "Unauthorized"),
        "403" => Status(403, "Forbidden"),
        "404" => Status(404, "SecretNotFound"),
        "409" => Status(409, "Conflict"),
        "429" => Status(429, "Throttled"),
        "500" => Status(500, "InternalServerError"),
        "timeout" => Timeout(),
        "tls" => Tls(),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown vault fault"),
    };
}
