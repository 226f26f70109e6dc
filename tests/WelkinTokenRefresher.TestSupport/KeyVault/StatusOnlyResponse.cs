using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace WelkinTokenRefresher.TestSupport.KeyVault;

/// <summary>The raw HTTP answer under a value an in-memory double returns: a status and nothing else.</summary>
public sealed class StatusOnlyResponse(int status) : Response
{
    public override int Status => status;

    public override string ReasonPhrase => status == 200 ? "OK" : "";

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; } = "";

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => false;

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = null;
        return false;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = null;
        return false;
    }
}
