using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WelkinTokenRefresher.Sandbox.Hosting;
using WelkinTokenRefresher.Sandbox.Identity;
using WelkinTokenRefresher.Sandbox.Json;
using WelkinTokenRefresher.Sandbox.Logging;

namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>
/// State and decisions of the Key Vault secrets stand-in: versions with attributes, soft delete, the challenge handshake,
/// bearer validation against <see cref="ManagedIdentityEmulator"/>, roles, Key Vault's refusals (<see cref="KeyVaultRules"/>)
/// and service limit, injected faults and counters. HTTP mapping lives in <see cref="KeyVaultEndpoints"/>.
/// </summary>
public sealed class KeyVaultEmulator
{
    /// <summary>The resource Key Vault tokens are issued for; the challenge names it.</summary>
    public const string Resource = "https://vault.azure.net";

    private static readonly string[] Audiences = [Resource, Resource + "/", "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"];
    private static readonly TimeSpan ThrottleWindow = TimeSpan.FromSeconds(10);

    // Key Vault's default soft-delete retention.
    private static readonly TimeSpan RecoverableFor = TimeSpan.FromDays(90);

    private readonly ManagedIdentityEmulator _identity;
    private readonly TimeProvider _time;
    private readonly KeyVaultEmulatorOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<StoredSecretVersion>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (List<StoredSecretVersion> Versions, DateTimeOffset DeletedOn)> _deleted = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<DateTimeOffset> _transactions = new();
    private readonly long[] _operations = new long[Enum.GetValues<KeyVaultOperation>().Length];
    private long _challenges;
    private long _rejectedTokens;
    private long _forbidden;
    private long _faultsApplied;

    /// <param name="identity">The only token issuer the vault trusts.</param>
    /// <param name="time">The clock of created/updated times and bearer expiry.</param>
    /// <param name="options">Bearer lifetime checking and page size.</param>
    /// <param name="logger">Never receives secret values or tokens.</param>
    public KeyVaultEmulator(ManagedIdentityEmulator identity, TimeProvider time, KeyVaultEmulatorOptions? options = null, ILogger? logger = null)
    {
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new KeyVaultEmulatorOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Faults answering the next matching authenticated operations, in order.</summary>
    public FaultSchedule<KeyVaultFault> Faults { get; } = new();

    public KeyVaultAccessPolicy Access { get; } = new();

    public KeyVaultCounters Counters => new(
        Enum.GetValues<KeyVaultOperation>().ToDictionary(o => o, o => Interlocked.Read(ref _operations[(int)o])),
        Interlocked.Read(ref _challenges),
        Interlocked.Read(ref _rejectedTokens),
        Interlocked.Read(ref _forbidden),
        Interlocked.Read(ref _faultsApplied));

    /// <summary>The names of all secrets held.</summary>
    public IReadOnlyList<string> SecretNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _secrets.Keys];
            }
        }
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _challenges, 0);
        Interlocked.Exchange(ref _rejectedTokens, 0);
        Interlocked.Exchange(ref _forbidden, 0);
        Interlocked.Exchange(ref _faultsApplied, 0);
        for (var i = 0; i < _operations.Length; i++)
        {
            Interlocked.Exchange(ref _operations[i], 0);
        }
    }

    /// <summary>Writes a new version directly (no HTTP, not counted), as a test's starting state.</summary>
    public StoredSecretVersion Seed(
        string name,
        string value,
        DateTimeOffset? expiresOn = null,
        DateTimeOffset? notBefore = null,
        string? contentType = null,
        IReadOnlyDictionary<string, string>? tags = null,
        bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        if ((KeyVaultRules.RefuseName(name) ?? KeyVaultRules.RefuseSet(value, contentType, tags)) is { } refusal)
        {
            throw new ArgumentException($"Key Vault would refuse this version: {refusal.Message}", nameof(name));
        }

        lock (_gate)
        {
            if (_deleted.ContainsKey(name))
            {
                throw new InvalidOperationException(KeyVaultRules.SoftDeleted(name).Message);
            }

            return AddVersion(name, value, contentType, enabled, notBefore, expiresOn, tags);
        }
    }

    /// <summary>Every version of a secret, oldest first, with values and attributes; empty when unknown.</summary>
    public IReadOnlyList<StoredSecretVersion> GetVersions(string name)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue(name, out var versions) ? [.. versions] : [];
        }
    }

    /// <summary>The latest version, or null when the secret does not exist.</summary>
    public StoredSecretVersion? GetLatest(string name)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue(name, out var versions) ? versions[^1] : null;
        }
    }

    /// <summary>Enables or disables one version (a disabled version's value answers 403).</summary>
    public StoredSecretVersion SetEnabled(string name, string version, bool enabled) =>
        Change(name, version, v => v with { Enabled = enabled });

    /// <summary>Sets a version's <c>exp</c>, by default to one second ago. Key Vault still serves expired values.</summary>
    public StoredSecretVersion Expire(string name, string version, DateTimeOffset? at = null) =>
        Change(name, version, v => v with { ExpiresOn = Truncate(at ?? _time.GetUtcNow().AddSeconds(-1)) });

    internal async Task<EmulatorResponse> HandleAsync(KeyVaultRequest request, CancellationToken cancellationToken)
    {
        if (request.Query("api-version") is not { Length: > 0 })
        {
            return Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (Route(request) is not { } route)
        {
            return Error(404, "NotFound", "The requested resource was not found.");
        }

        var (operation, name, version) = route;
        if (request.Authorization is not { } authorization || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _challenges);
            return Unauthorized("AKV10000: Request is missing a Bearer or PoP token.");
        }

        var caller = _identity.ValidateBearer(authorization["Bearer ".Length..].Trim(), Audiences, _options.EnforceBearerLifetime, out var failure);
        if (caller is null)
        {
            Interlocked.Increment(ref _rejectedTokens);
            _logger.VaultTokenRejected(failure);
            return Unauthorized(failure);
        }

        Interlocked.Increment(ref _operations[(int)operation]);
        if (Throttle() is { } untilRoom)
        {
            return Error(KeyVaultRules.Throttled) with { RetryAfter = untilRoom };
        }

        if (Faults.TryTake(f => f.Operation is null || f.Operation == operation) is { } fault)
        {
            Interlocked.Increment(ref _faultsApplied);
            _logger.VaultFaultApplied(operation, fault.StatusCode ?? 0);
            if (fault.ConnectionReset)
            {
                return EmulatorResponse.Abort;
            }

            if (fault.StatusCode is { } status)
            {
                // Key Vault always says when to come back after a 429.
                var retryAfter = fault.RetryAfter ?? (status == 429 && !fault.OmitRetryAfter ? _options.ThrottledRetryAfter : null);
                return FaultError(status, name) with { RetryAfter = retryAfter };
            }

            await Task.Delay(fault.Delay!.Value, _time, cancellationToken).ConfigureAwait(false);
        }

        if (!Access.Allows(caller, operation))
        {
            Interlocked.Increment(ref _forbidden);
            return Forbidden(caller, operation);
        }

        var response = name is not null && KeyVaultRules.RefuseName(name) is { } invalid ? Error(invalid) : Execute(operation, name, version, request);
        _logger.VaultOperation(operation, name ?? string.Empty, response.StatusCode);
        return response;
    }

    /// <summary>Counts a transaction in Key Vault's 10-second window; when the window is full, how long until it has room.</summary>
    private TimeSpan? Throttle()
    {
        if (_options.TransactionsPer10Seconds is not { } limit)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            while (_transactions.TryPeek(out var oldest) && oldest <= now - ThrottleWindow)
            {
                _transactions.Dequeue();
            }

            if (_transactions.Count >= limit)
            {
                return _transactions.Peek() + ThrottleWindow - now;
            }

            _transactions.Enqueue(now);
            return null;
        }
    }

    private EmulatorResponse Execute(KeyVaultOperation operation, string? name, string? version, KeyVaultRequest request)
    {
        lock (_gate)
        {
            switch (operation)
            {
                case KeyVaultOperation.ListSecrets:
                    return Json(200, Page(request, _secrets.Values.Select(v => Item(request.VaultBase, v[^1], withVersion: false)).ToList(), "/secrets",
                        (page, next) => new SecretListResult(page, next)), SandboxJsonContext.Default.SecretListResult);
                case KeyVaultOperation.ListSecretVersions:
                    return Json(200, Page(request, GetVersionsLocked(name!).Select(v => Item(request.VaultBase, v, withVersion: true)).ToList(), $"/secrets/{name}/versions",
                        (page, next) => new SecretListResult(page, next)), SandboxJsonContext.Default.SecretListResult);
                case KeyVaultOperation.ListDeletedSecrets:
                    return Json(200, Page(request, _deleted.Values.Select(d => DeletedBundle(request.VaultBase, d.Versions[^1], d.DeletedOn)).ToList(), "/deletedsecrets",
                        (page, next) => new DeletedSecretListResult(page, next)), SandboxJsonContext.Default.DeletedSecretListResult);
                case KeyVaultOperation.SetSecret:
                    return Set(name!, request);
                case KeyVaultOperation.GetDeletedSecret or KeyVaultOperation.PurgeDeletedSecret or KeyVaultOperation.RecoverDeletedSecret:
                    return Deleted(operation, name!, request);
                default:
                    break;
            }

            if (Find(name!, version) is not { } stored)
            {
                return Error(KeyVaultRules.NotFound(version is null ? name! : $"{name}/{version}"));
            }

            return operation switch
            {
                KeyVaultOperation.UpdateSecretProperties => Update(stored, request),
                KeyVaultOperation.DeleteSecret => Delete(name!, request),
                _ => stored.Enabled ? Json(200, Bundle(request.VaultBase, stored, withValue: true)) : Error(KeyVaultRules.Disabled),
            };
        }
    }

    private EmulatorResponse Set(string name, KeyVaultRequest request)
    {
        SecretSetRequest? body;
        try
        {
            body = JsonSerializer.Deserialize(request.Body, SandboxJsonContext.Default.SecretSetRequest);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (_deleted.ContainsKey(name))
        {
            return Error(KeyVaultRules.SoftDeleted(name));
        }

        if (KeyVaultRules.RefuseSet(body?.Value, body?.ContentType, body?.Tags) is { } refusal)
        {
            return Error(refusal);
        }

        var attributes = body!.Attributes;
        var stored = AddVersion(name, body.Value!, body.ContentType, attributes?.Enabled ?? true, FromUnix(attributes?.NotBefore), FromUnix(attributes?.Expires), body.Tags);
        return Json(200, Bundle(request.VaultBase, stored, withValue: true));
    }

    /// <summary>Soft delete: every version moves out of reach, and the name cannot be written until purged or recovered.</summary>
    private EmulatorResponse Delete(string name, KeyVaultRequest request)
    {
        var versions = _secrets[name];
        _secrets.Remove(name);
        var deletedOn = Truncate(_time.GetUtcNow());
        _deleted[name] = (versions, deletedOn);
        return Json(200, DeletedBundle(request.VaultBase, versions[^1], deletedOn), SandboxJsonContext.Default.DeletedSecretBundle);
    }

    private EmulatorResponse Deleted(KeyVaultOperation operation, string name, KeyVaultRequest request)
    {
        if (!_deleted.TryGetValue(name, out var deleted))
        {
            return Error(KeyVaultRules.DeletedNotFound(name));
        }

        switch (operation)
        {
            case KeyVaultOperation.PurgeDeletedSecret:
                _deleted.Remove(name);
                return new EmulatorResponse(204, [], null);
            case KeyVaultOperation.RecoverDeletedSecret:
                _deleted.Remove(name);
                _secrets[name] = deleted.Versions;
                return Json(200, Bundle(request.VaultBase, deleted.Versions[^1], withValue: false));
            default:
                return Json(200, DeletedBundle(request.VaultBase, deleted.Versions[^1], deleted.DeletedOn), SandboxJsonContext.Default.DeletedSecretBundle);
        }
    }

    private EmulatorResponse Update(StoredSecretVersion stored, KeyVaultRequest request)
    {
        SecretUpdateRequest? body;
        try
        {
            body = JsonSerializer.Deserialize(request.Body, SandboxJsonContext.Default.SecretUpdateRequest);
        }
        catch (JsonException)
        {
            return Error(400, "BadParameter", "The request body is not valid JSON.");
        }

        if (KeyVaultRules.RefuseProperties(body?.ContentType, body?.Tags) is { } refusal)
        {
            return Error(refusal);
        }

        // Only the fields present change, as in Key Vault's PATCH.
        var attributes = body?.Attributes;
        var updated = stored with
        {
            ContentType = body?.ContentType ?? stored.ContentType,
            Enabled = attributes?.Enabled ?? stored.Enabled,
            NotBefore = attributes?.NotBefore is { } nbf ? FromUnix(nbf) : stored.NotBefore,
            ExpiresOn = attributes?.Expires is { } exp ? FromUnix(exp) : stored.ExpiresOn,
            Tags = body?.Tags is { } tags ? new Dictionary<string, string>(tags) : stored.Tags,
            UpdatedOn = Truncate(_time.GetUtcNow()),
        };
        Replace(updated);
        return Json(200, Bundle(request.VaultBase, updated, withValue: false));
    }

    private StoredSecretVersion AddVersion(string name, string value, string? contentType, bool enabled, DateTimeOffset? notBefore, DateTimeOffset? expiresOn, IReadOnlyDictionary<string, string>? tags)
    {
        var now = Truncate(_time.GetUtcNow());
        var stored = new StoredSecretVersion(
            name, Guid.NewGuid().ToString("N"), value, contentType, enabled,
            notBefore is { } nbf ? Truncate(nbf) : null, expiresOn is { } exp ? Truncate(exp) : null,
            now, now, tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(tags));
        if (!_secrets.TryGetValue(name, out var versions))
        {
            _secrets[name] = versions = [];
        }

        versions.Add(stored);
        return stored;
    }

    private StoredSecretVersion Change(string name, string version, Func<StoredSecretVersion, StoredSecretVersion> change)
    {
        lock (_gate)
        {
            var stored = Find(name, version) ?? throw new KeyNotFoundException($"No version {version} of secret {name}.");
            var changed = change(stored) with { UpdatedOn = Truncate(_time.GetUtcNow()) };
            Replace(changed);
            return changed;
        }
    }

    private void Replace(StoredSecretVersion changed)
    {
        var versions = _secrets[changed.Name];
        versions[versions.FindIndex(v => v.Version == changed.Version)] = changed;
    }

    private StoredSecretVersion? Find(string name, string? version)
    {
        if (!_secrets.TryGetValue(name, out var versions))
        {
            return null;
        }

        return version is null ? versions[^1] : versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
    }

    private List<StoredSecretVersion> GetVersionsLocked(string name) => _secrets.TryGetValue(name, out var versions) ? versions : [];

    private TResult Page<TItem, TResult>(KeyVaultRequest request, List<TItem> items, string path, Func<List<TItem>, string?, TResult> result)
    {
        var pageSize = int.TryParse(request.Query("maxresults"), NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0
            ? Math.Min(asked, _options.MaxPageSize)
            : _options.MaxPageSize;
        var skip = int.TryParse(request.Query("$skiptoken"), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        var page = items.Skip(skip).Take(pageSize).ToList();
        var next = skip + page.Count < items.Count
            ? FormattableString.Invariant($"{request.VaultBase}{path}?api-version={request.Query("api-version")}&$skiptoken={skip + page.Count}&maxresults={pageSize}")
            : null;
        return result(page, next);
    }

    /// <summary>The operation a request asks for; names are checked after authentication, as Key Vault does.</summary>
    private static (KeyVaultOperation Operation, string? Name, string? Version)? Route(KeyVaultRequest request)
    {
        var segments = request.Segments;
        var method = request.Method.ToUpperInvariant();
        if (segments.Count > 2 || segments is [{ Length: 0 }, ..])
        {
            return null;
        }

        var name = segments.Count > 0 ? segments[0] : null;
        var second = segments.Count == 2 && segments[1].Length > 0 ? segments[1] : null;
        if (request.Deleted)
        {
            return (method, name, second) switch
            {
                ("GET", null, null) => (KeyVaultOperation.ListDeletedSecrets, null, null),
                ("GET", not null, null) => (KeyVaultOperation.GetDeletedSecret, name, null),
                ("DELETE", not null, null) => (KeyVaultOperation.PurgeDeletedSecret, name, null),
                ("POST", not null, "recover") => (KeyVaultOperation.RecoverDeletedSecret, name, null),
                _ => null,
            };
        }

        return (method, name, second) switch
        {
            ("GET", null, null) => (KeyVaultOperation.ListSecrets, null, null),
            ("GET", not null, null) => (KeyVaultOperation.GetSecret, name, null),
            ("PUT", not null, null) => (KeyVaultOperation.SetSecret, name, null),
            ("PATCH", not null, null) => (KeyVaultOperation.UpdateSecretProperties, name, null),
            ("DELETE", not null, null) => (KeyVaultOperation.DeleteSecret, name, null),
            ("GET", not null, "versions") => (KeyVaultOperation.ListSecretVersions, name, null),
            ("GET", not null, _) => (KeyVaultOperation.GetSecretVersion, name, second),
            ("PATCH", not null, _) => (KeyVaultOperation.UpdateSecretProperties, name, second),
            _ => null,
        };
    }

    private static SecretBundle Bundle(string vaultBase, StoredSecretVersion v, bool withValue) => new(
        withValue ? v.Value : null,
        $"{vaultBase}/secrets/{v.Name}/{v.Version}",
        v.ContentType,
        Attributes(v),
        v.Tags.Count > 0 ? v.Tags : null);

    private static DeletedSecretBundle DeletedBundle(string vaultBase, StoredSecretVersion v, DateTimeOffset deletedOn) => new(
        $"{vaultBase}/secrets/{v.Name}/{v.Version}",
        v.ContentType,
        Attributes(v),
        v.Tags.Count > 0 ? v.Tags : null,
        $"{vaultBase}/deletedsecrets/{v.Name}",
        deletedOn.ToUnixTimeSeconds(),
        (deletedOn + RecoverableFor).ToUnixTimeSeconds());

    private static SecretBundle Item(string vaultBase, StoredSecretVersion v, bool withVersion) =>
        Bundle(vaultBase, v, withValue: false) with { Id = withVersion ? $"{vaultBase}/secrets/{v.Name}/{v.Version}" : $"{vaultBase}/secrets/{v.Name}" };

    private static SecretAttributesWire Attributes(StoredSecretVersion v) => new(
        v.Enabled,
        v.NotBefore?.ToUnixTimeSeconds(),
        v.ExpiresOn?.ToUnixTimeSeconds(),
        v.CreatedOn.ToUnixTimeSeconds(),
        v.UpdatedOn.ToUnixTimeSeconds(),
        "Recoverable+Purgeable",
        (int)RecoverableFor.TotalDays);

    private static EmulatorResponse Unauthorized(string message) =>
        Error(401, "Unauthorized", message) with { WwwAuthenticate = Challenge };

    private static string Challenge => $"Bearer authorization=\"https://login.microsoftonline.com/{ManagedIdentityEmulator.TenantId}\", resource=\"{Resource}\"";

    private static EmulatorResponse FaultError(int status, string? name) => status switch
    {
        401 => Unauthorized("AKV10000: Injected authentication failure."),
        403 => Error(403, "Forbidden", "Caller is not authorized to perform action on resource.", "ForbiddenByRbac"),
        404 => Error(KeyVaultRules.NotFound(name ?? "(none)")),
        409 => Error(409, "Conflict", "The request conflicts with the current state of the secret."),
        429 => Error(KeyVaultRules.Throttled),
        500 => Error(500, "InternalServerError", "An internal server error occurred."),
        503 => Error(503, "ServiceUnavailable", "The service is unavailable."),
        _ => Error(status, FormattableString.Invariant($"Http{status}"), "Injected failure."),
    };

    private static EmulatorResponse Forbidden(BearerPrincipal caller, KeyVaultOperation operation)
    {
        var action = operation switch
        {
            KeyVaultOperation.SetSecret => "Microsoft.KeyVault/vaults/secrets/setSecret/action",
            KeyVaultOperation.UpdateSecretProperties => "Microsoft.KeyVault/vaults/secrets/write",
            KeyVaultOperation.ListSecrets or KeyVaultOperation.ListSecretVersions => "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
            KeyVaultOperation.DeleteSecret => "Microsoft.KeyVault/vaults/secrets/delete",
            KeyVaultOperation.GetDeletedSecret or KeyVaultOperation.ListDeletedSecrets => "Microsoft.KeyVault/vaults/deletedSecrets/read",
            KeyVaultOperation.PurgeDeletedSecret => "Microsoft.KeyVault/vaults/deletedSecrets/delete",
            KeyVaultOperation.RecoverDeletedSecret => "Microsoft.KeyVault/vaults/deletedSecrets/recover/action",
            _ => "Microsoft.KeyVault/vaults/secrets/getSecret/action",
        };
        return Error(403, "Forbidden",
            $"Caller is not authorized to perform action on resource.\r\nCaller: appid={caller.ClientId};oid={caller.ObjectId}\r\nAction: '{action}'\r\nAssignment: (not found)",
            "ForbiddenByRbac");
    }

    private static EmulatorResponse Error(int status, string code, string message, string? innerCode = null) =>
        Error(new KeyVaultRefusal(status, code, message, innerCode));

    private static EmulatorResponse Error(KeyVaultRefusal refusal) => new(refusal.Status, refusal.ToJson());

    private static EmulatorResponse Json(int status, SecretBundle body) => Json(status, body, SandboxJsonContext.Default.SecretBundle);

    private static EmulatorResponse Json<T>(int status, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(body, type));

    private static DateTimeOffset? FromUnix(long? seconds) => seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    private static DateTimeOffset Truncate(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeSeconds(instant.ToUnixTimeSeconds());

}
