using System.Text.RegularExpressions;

namespace WelkinTokenRefresher.Sandbox.KeyVault;

/// <summary>
/// What Key Vault refuses, and in which words. One source for the emulator and the tests' in-memory SecretClient, so the
/// two cannot drift apart. Sources: learn.microsoft.com "About Azure Key Vault secrets" (values of at most 25 KB, 15 tags
/// of 512-character names and values, a content type of at most 255 characters) and "Key Vault keys, secrets and
/// certificates overview" (names of 1-127 of <c>0-9a-zA-Z-</c>); the answers' codes and messages as the service sends them
/// (400 BadParameter "The request URI contains an invalid name: …", "Secret is beyond the maximum permitted length of
/// 25600 characters.", "Property has invalid value"; 409 Conflict "… is currently in a deleted but recoverable state …";
/// 403 Forbidden "Operation get is not allowed on a disabled secret." with inner error SecretDisabled), as quoted in the
/// azure-cli, azure-sdk-for-net, terraform-provider-azurerm and external-secrets issue threads that report them.
/// </summary>
public static partial class KeyVaultRules
{
    /// <summary>The longest secret value Key Vault stores, in characters.</summary>
    public const int MaxValueLength = 25_600;

    public const int MaxTags = 15;

    public const int MaxTagNameLength = 512;

    public const int MaxTagValueLength = 512;

    public const int MaxContentTypeLength = 255;

    /// <summary>1-127 characters, each a letter, digit or dash.</summary>
    public static bool IsValidName(string name) => SecretName().IsMatch(name);

    /// <summary>The answer to any operation on a secret whose name Key Vault does not allow, or null.</summary>
    public static KeyVaultRefusal? RefuseName(string name) =>
        IsValidName(name) ? null : BadParameter($"The request URI contains an invalid name: {name}");

    /// <summary>The answer to a write (set) whose value, content type or tags Key Vault does not store, or null.</summary>
    public static KeyVaultRefusal? RefuseSet(string? value, string? contentType, IReadOnlyDictionary<string, string>? tags)
    {
        if (value is null)
        {
            return BadParameter("Property 'value' is required.");
        }

        return value.Length > MaxValueLength
            ? BadParameter($"Secret is beyond the maximum permitted length of {MaxValueLength} characters.")
            : RefuseProperties(contentType, tags);
    }

    /// <summary>The answer to a write (set or update) whose content type or tags Key Vault does not store, or null.</summary>
    public static KeyVaultRefusal? RefuseProperties(string? contentType, IReadOnlyDictionary<string, string>? tags)
    {
        var tooMany = tags is { Count: > MaxTags };
        var tooLong = tags?.Any(tag => tag.Key.Length > MaxTagNameLength || (tag.Value?.Length ?? 0) > MaxTagValueLength) == true
            || contentType?.Length > MaxContentTypeLength;
        return tooMany || tooLong ? BadParameter("Property has invalid value") : null;
    }

    /// <summary>A write to a name whose secret is deleted but not purged.</summary>
    public static KeyVaultRefusal SoftDeleted(string name) => new(409, "Conflict",
        $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.",
        "ObjectIsDeletedButRecoverable");

    /// <summary>A read of a disabled version.</summary>
    public static KeyVaultRefusal Disabled { get; } = new(403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");

    /// <summary>No secret, or no such version (<paramref name="nameOrId"/> is <c>name</c> or <c>name/version</c>).</summary>
    public static KeyVaultRefusal NotFound(string nameOrId) => new(404, "SecretNotFound",
        $"A secret with (name/id) {nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.");

    /// <summary>No deleted secret of that name.</summary>
    public static KeyVaultRefusal DeletedNotFound(string name) => new(404, "SecretNotFound", $"Deleted Secret not found: {name}");

    /// <summary>Too many requests; the answer carries Retry-After.</summary>
    public static KeyVaultRefusal Throttled { get; } = new(429, "Throttled",
        "Request was not processed because too many requests were received. Reason: A maximum of 4000 transactions in 10 seconds are allowed.");

    private static KeyVaultRefusal BadParameter(string message) => new(400, "BadParameter", message);

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();
}
