using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace WelkinTokenRefresher.Client.Tests;

/// <summary>A raw vault answer with a status and headers, for failures whose headers matter (Retry-After).</summary>
internal sealed class HeaderResponse(int status, params (string Name, string Value)[] headers) : Response
{
    public override int Status => status;

    public override string ReasonPhrase => "";

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; } = "";

    /// <summary>The failure the SDK throws for this answer.</summary>
    public static RequestFailedException Failure(int status, params (string Name, string Value)[] headers) =>
        new(new HeaderResponse(status, headers));

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(header => new HttpHeader(header.Name, header.Value));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = headers.FirstOrDefault(header => string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = TryGetHeader(name, out string? value) ? [value] : null;
        return values is not null;
    }
}
