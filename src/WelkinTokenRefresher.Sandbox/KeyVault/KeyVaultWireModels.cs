using System.Text.Json.Serialization;

namespace WelkinTokenRefresher.Sandbox.KeyVault;

// The JSON shapes of the Key Vault secrets REST API (7.x) that SecretClient sends and reads. Times are unix seconds.
internal sealed record SecretAttributesWire(
    [property: JsonPropertyName("enabled")] bool? Enabled,
    [property: JsonPropertyName("nbf")] long? NotBefore,
    [property: JsonPropertyName("exp")] long? Expires,
    [property: JsonPropertyName("created")] long? Created = null,
    [property: JsonPropertyName("updated")] long? Updated = null,
    [property: JsonPropertyName("recoveryLevel")] string? RecoveryLevel = null,
    [property: JsonPropertyName("recoverableDays")] int? RecoverableDays = null);

internal sealed record SecretSetRequest(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("attributes")] SecretAttributesWire? Attributes,
    [property: JsonPropertyName("tags")] Dictionary<string, string>? Tags);

internal sealed record SecretUpdateRequest(
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("attributes")] SecretAttributesWire? Attributes,
    [property: JsonPropertyName("tags")] Dictionary<string, string>? Tags);

internal sealed record SecretBundle(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("attributes")] SecretAttributesWire Attributes,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string>? Tags);

/// <summary>A deleted secret: its latest version's bundle (never its value) and when it was deleted and will be purged.</summary>
internal sealed record DeletedSecretBundle(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("attributes")] SecretAttributesWire Attributes,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string>? Tags,
    [property: JsonPropertyName("recoveryId")] string RecoveryId,
    [property: JsonPropertyName("deletedDate")] long DeletedDate,
    [property: JsonPropertyName("scheduledPurgeDate")] long ScheduledPurgeDate);

internal sealed record DeletedSecretListResult(
    [property: JsonPropertyName("value")] IReadOnlyList<DeletedSecretBundle> Value,
    [property: JsonPropertyName("nextLink")] string? NextLink);

internal sealed record SecretListResult(
    [property: JsonPropertyName("value")] IReadOnlyList<SecretBundle> Value,
    [property: JsonPropertyName("nextLink")] string? NextLink);

internal sealed record KeyVaultErrorBody([property: JsonPropertyName("error")] KeyVaultError Error);

internal sealed record KeyVaultError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("innererror")] KeyVaultInnerError? InnerError = null);

internal sealed record KeyVaultInnerError([property: JsonPropertyName("code")] string Code);
