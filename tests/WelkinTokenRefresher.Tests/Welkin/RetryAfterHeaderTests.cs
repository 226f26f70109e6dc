using System.Net;
using System.Net.Http.Headers;
using WelkinTokenRefresher.Core.Welkin;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>Retry-After as seconds or as an HTTP date, turned into a delay.</summary>
public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static TimeSpan? Read(Action<HttpResponseHeaders> headers)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        headers(response.Headers);
        return RetryAfterHeader.Read(response, Now);
    }

    [Fact]
    public void No_header_is_no_delay()
    {
        Assert.Null(Read(_ => { }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(120)]
    public void Seconds_are_the_delay_zero_included(int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Read(h => h.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds))));
    }

    [Fact]
    public void Zero_seconds_on_the_wire_is_a_zero_delay_not_none()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "0");

        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Read(response, Now));
    }

    [Fact]
    public void Date_is_counted_from_the_answer_date_not_from_now()
    {
        // The answer was dated 10 s before we read it: the delay is the server's view, 90 s.
        Assert.Equal(TimeSpan.FromSeconds(90), Read(h =>
        {
            h.Date = Now.AddSeconds(-10);
            h.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(80));
        }));
    }

    [Fact]
    public void Date_without_an_answer_date_is_counted_from_now()
    {
        Assert.Equal(TimeSpan.FromMinutes(3), Read(h => h.RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(3))));
    }

    [Fact]
    public void Date_on_the_wire_in_http_date_format_is_read()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Date", "Mon, 02 Mar 2026 09:00:00 GMT");
        response.Headers.TryAddWithoutValidation("Retry-After", "Mon, 02 Mar 2026 09:02:30 GMT");

        Assert.Equal(TimeSpan.FromSeconds(150), RetryAfterHeader.Read(response, Now.AddHours(5)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-3600)]
    public void Date_not_after_the_answer_date_is_a_zero_delay(int secondsFromAnswerDate)
    {
        Assert.Equal(TimeSpan.Zero, Read(h =>
        {
            h.Date = Now;
            h.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(secondsFromAnswerDate));
        }));
    }
}
