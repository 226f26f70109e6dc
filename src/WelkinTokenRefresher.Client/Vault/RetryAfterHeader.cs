using System.Globalization;
using Azure;

namespace WelkinTokenRefresher.Client.Vault;

/// <summary>
/// How long a vault answer asks the client to wait: <c>retry-after-ms</c> or <c>x-ms-retry-after-ms</c> (milliseconds),
/// else <c>Retry-After</c> (seconds, or an HTTP date, counted from the answer's own <c>Date</c> or else from now).
/// </summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? Read(Response? response, DateTimeOffset now)
    {
        if (response is null)
        {
            return null;
        }

        foreach (string name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (response.Headers.TryGetValue(name, out string? milliseconds)
                && long.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
            {
                return TimeSpan.FromMilliseconds(ms);
            }
        }

        if (!response.Headers.TryGetValue("Retry-After", out string? value) || value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
        {
            DateTimeOffset reference = response.Headers.Date ?? now;
            return at > reference ? at - reference : TimeSpan.Zero;
        }

        return null;
    }
}
