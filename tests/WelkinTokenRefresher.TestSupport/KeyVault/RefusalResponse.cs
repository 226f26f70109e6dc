using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Azure;
using Azure.Core;
using WelkinTokenRefresher.Sandbox.KeyVault;

namespace WelkinTokenRefresher.TestSupport.KeyVault;

/// <summary>
/// Key Vault's error answer as the SDK receives it: status, reason phrase, JSON body and its content headers. Azure.Core
/// reads the exception's status, error code and message from it exactly as it does from the emulator over the wire.
/// </summary>
public sealed class RefusalResponse(KeyVaultRefusal refusal) : Response
{
    private readonly byte[] _body = refusal.ToJson();

    /// <summary>The exception the SDK throws for this refusal.</summary>
    public static RequestFailedException Exception(KeyVaultRefusal refusal) => new(new RefusalResponse(refusal));

    public override int Status => refusal.Status;

    public override string ReasonPhrase => refusal.ReasonPhrase;

    // The pipeline's classifier marks a 4xx/5xx answer as an error; only then does the SDK quote its body.
    public override bool IsError => true;

    public override Stream? ContentStream
    {
        get => new MemoryStream(_body, writable: false);
        set => throw new NotSupportedException("A refusal's body is fixed.");
    }

    public override string ClientRequestId { get; set; } = "";

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() =>
    [
        new HttpHeader("Content-Length", _body.Length.ToString(CultureInfo.InvariantCulture)),
        new HttpHeader("Content-Type", "application/json"),
    ];

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = EnumerateHeaders().FirstOrDefault(header => string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = TryGetHeader(name, out var value) ? [value] : null;
        return values is not null;
    }
}
