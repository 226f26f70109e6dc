using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WelkinTokenRefresher.Sandbox.Hosting;
using WelkinTokenRefresher.Sandbox.Json;
using WelkinTokenRefresher.Sandbox.Jwt;
using WelkinTokenRefresher.Sandbox.Logging;

namespace WelkinTokenRefresher.Sandbox.Identity;

/// <summary>
/// The App Service managed identity endpoint (<c>IDENTITY_ENDPOINT</c>/<c>IDENTITY_HEADER</c>, api-version
/// 2019-08-01): issues RS256 access tokens for any resource and validates them for the Key Vault emulator.
/// The header secret and counters are per instance; the identity itself is per process (see <see cref="ProcessIdentity"/>).
/// </summary>
public sealed class ManagedIdentityEmulator
{
    public const string ApiVersion = "2019-08-01";

    private readonly TimeProvider _time;
    private readonly TimeSpan _tokenLifetime;
    private readonly ILogger _logger;
    private readonly RsaJwtSigner _signer = ProcessIdentity.Signer;
    private long _tokenRequests;
    private long _tokensIssued;

    /// <param name="time">The clock of token times.</param>
    /// <param name="tokenLifetime">Lifetime of issued tokens (Azure's are about 24 hours).</param>
    /// <param name="logger">Never receives token values or the identity header.</param>
    public ManagedIdentityEmulator(TimeProvider time, TimeSpan? tokenLifetime = null, ILogger? logger = null)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _tokenLifetime = tokenLifetime ?? TimeSpan.FromHours(24);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The secret a caller must send as <c>X-IDENTITY-HEADER</c> (the <c>IDENTITY_HEADER</c> value).</summary>
    public string Header { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The tenant of the emulated identity (the same for every sandbox in a process).</summary>
    public static string TenantId => ProcessIdentity.TenantId;

    /// <summary>The client id of the system-assigned identity, used when a request names none (the same for every sandbox in a process).</summary>
    public static string DefaultClientId => ProcessIdentity.DefaultClientId;

    public static string Issuer => $"https://sts.windows.net/{TenantId}/";

    public ManagedIdentityCounters Counters => new(Interlocked.Read(ref _tokenRequests), Interlocked.Read(ref _tokensIssued));

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _tokensIssued, 0);
    }

    /// <summary>Answers <c>GET {endpoint}?api-version=2019-08-01&amp;resource=…[&amp;client_id=…]</c>.</summary>
    internal EmulatorResponse HandleTokenRequest(string method, Func<string, string?> query, string? identityHeader)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (!string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            return Error(405, "Only GET is supported.");
        }

        if (identityHeader is null)
        {
            return Error(400, "The X-IDENTITY-HEADER header is required.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(identityHeader), Encoding.UTF8.GetBytes(Header)))
        {
            return Error(401, "The X-IDENTITY-HEADER header is not valid.");
        }

        if (query("api-version") != ApiVersion)
        {
            return Error(400, $"The api-version must be {ApiVersion}.");
        }

        if (query("resource") is not { Length: > 0 } resource)
        {
            return Error(400, "The resource parameter is required.");
        }

        var clientId = query("client_id") ?? query("mi_res_id") ?? query("object_id") ?? query("principal_id") ?? DefaultClientId;
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var exp = now + (long)_tokenLifetime.TotalSeconds;
        var objectId = ObjectIdOf(clientId);
        var claims = new ManagedIdentityClaims(resource, Issuer, now, now, exp, clientId, objectId, objectId, TenantId);
        var token = _signer.Sign(claims, SandboxJsonContext.Default.ManagedIdentityClaims);
        Interlocked.Increment(ref _tokensIssued);
        _logger.IdentityTokenIssued(clientId, resource);
        var answer = new ManagedIdentityTokenResponse(token, exp.ToString(CultureInfo.InvariantCulture), resource, "Bearer", clientId);
        return new EmulatorResponse(200, JsonSerializer.SerializeToUtf8Bytes(answer, SandboxJsonContext.Default.ManagedIdentityTokenResponse));
    }

    /// <summary>Checks signature, issuer, audience and (optionally) time window of a bearer token.</summary>
    /// <returns>The caller, or null with a reason in <paramref name="failure"/>.</returns>
    internal BearerPrincipal? ValidateBearer(string token, IReadOnlyCollection<string> audiences, bool checkLifetime, out string failure)
    {
        if (_signer.ReadVerified(token, SandboxJsonContext.Default.ManagedIdentityClaims) is not { } claims || claims.Issuer != Issuer)
        {
            failure = "AKV10032: Invalid issuer or signature.";
            return null;
        }

        if (!audiences.Contains(claims.Audience))
        {
            failure = $"AKV10022: Invalid audience. Expected {audiences.First()}, found: {claims.Audience}.";
            return null;
        }

        if (checkLifetime && claims.ExpiresAt <= _time.GetUtcNow().ToUnixTimeSeconds())
        {
            failure = "AKV10013: Token has expired.";
            return null;
        }

        failure = string.Empty;
        return new BearerPrincipal(claims.ClientId, claims.ObjectId);
    }

    // A stable object id per client id, so access rules and logs can name either.
    private static string ObjectIdOf(string clientId) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(clientId)).AsSpan(0, 16)).ToString();

    private static EmulatorResponse Error(int statusCode, string message) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(new ManagedIdentityErrorBody(statusCode, message), SandboxJsonContext.Default.ManagedIdentityErrorBody));
}
