using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Welkin;

/// <summary>The exp claim as <see cref="JwtExpiry"/> reads it: a NumericDate, whole or fractional, or nothing usable.</summary>
public sealed class JwtExpiryTests
{
    private static readonly DateTimeOffset Exp = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Whole_seconds_exp_is_that_instant()
    {
        Assert.Equal(Exp, JwtExpiry.TryRead(Jwt.WithExp(Exp)));
    }

    [Theory]
    [InlineData("1772445600.75")]
    [InlineData("1772445600.0")]
    [InlineData("1.7724456e9")]
    public void Fractional_exp_is_read_as_a_number_and_rounded_down_to_the_second(string exp)
    {
        var token = Jwt.WithPayload($$"""{"sub":"api-client","exp":{{exp}}}""");

        Assert.Equal(Exp, JwtExpiry.TryRead(token));
    }

    [Theory]
    [InlineData("""{"exp":0}""")]
    [InlineData("""{"exp":0.5}""")]
    [InlineData("""{"exp":-1772445600}""")]
    [InlineData("""{"exp":253402300800}""")]
    [InlineData("""{"exp":"1772445600"}""")]
    [InlineData("""{"exp":null}""")]
    [InlineData("""{"sub":"api-client"}""")]
    [InlineData("""[1772445600]""")]
    [InlineData("""not json""")]
    public void Exp_that_is_not_a_usable_NumericDate_reads_as_none(string payload)
    {
        Assert.Null(JwtExpiry.TryRead(Jwt.WithPayload(payload)));
    }

    [Fact]
    public void Largest_representable_exp_is_read()
    {
        var token = Jwt.WithPayload("""{"exp":253402300799}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(253402300799), JwtExpiry.TryRead(token));
    }

    [Fact]
    public void Exp_of_one_second_is_the_smallest_read()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1), JwtExpiry.TryRead(Jwt.WithPayload("""{"exp":1}""")));
    }

    [Fact]
    public void Payload_of_exactly_16_KiB_of_base64_is_decoded()
    {
        // 12,288 bytes of JSON encode to exactly 16,384 base64url characters.
        const string head = "{\"exp\":1772445600,\"pad\":\"";
        var payload = head + new string('x', 12_288 - head.Length - 2) + "\"}";
        var token = Jwt.WithPayload(payload);

        Assert.Equal(16 * 1024, token.Split('.')[1].Length);
        Assert.Equal(Exp, JwtExpiry.TryRead(token));
    }

    [Theory]
    [InlineData("opaque-token")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("a..c")]
    [InlineData("a.!!!.c")]
    public void Token_that_is_not_a_three_part_jwt_has_no_exp(string token)
    {
        Assert.Null(JwtExpiry.TryRead(token));
    }

    [Fact]
    public void Oversized_payload_is_not_decoded()
    {
        var payload = $$"""{"exp":1772445600,"pad":"{{new string('x', 13 * 1024)}}"}""";
        var withinLimit = $$"""{"exp":1772445600,"pad":"{{new string('x', 11 * 1024)}}"}""";

        Assert.Null(JwtExpiry.TryRead(Jwt.WithPayload(payload)));
        Assert.Equal(Exp, JwtExpiry.TryRead(Jwt.WithPayload(withinLimit)));
    }
}
