namespace WelkinTokenRefresher.Core.Welkin;

internal static class RetryAfterHeader
{
    /// <summary>Retry-After as a delay; an HTTP date is turned into a delay from the response's own Date, else from now.</summary>
    public static TimeSpan? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var reference = response.Headers.Date ?? now;
            return date > reference ? date - reference : TimeSpan.Zero;
        }

        return null;
    }
}
