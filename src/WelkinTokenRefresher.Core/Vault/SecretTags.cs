namespace WelkinTokenRefresher.Core.Vault;

/// <summary>Tag names on each token version: a contract with consumers and operators.</summary>
public static class SecretTags
{
    public const string IssuedAt = "issuedAt";
    public const string ExpiresAt = "expiresAt";
    public const string Source = "source";
    public const string ApiClient = "apiClient";

    public const string SourceValue = "welkin";
    public const string ContentType = "application/jwt";

    /// <summary>ISO 8601 in UTC, second precision.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
