using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace WelkinTokenRefresher.Core.Coordination;

/// <summary>
/// The app's own storage as the Functions host reads it from <c>AzureWebJobsStorage</c>: a connection string (locally
/// <c>UseDevelopmentStorage=true</c> for Azurite), or identity-based settings <c>AzureWebJobsStorage__blobServiceUri</c>
/// or <c>__accountName</c>, with <c>__credential</c> (<c>managedidentity</c>) and <c>__clientId</c>.
/// </summary>
internal sealed record HostStorageSettings(string? ConnectionString, Uri? BlobServiceUri, string? Credential, string? ClientId)
{
    public const string SectionName = "AzureWebJobsStorage";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || BlobServiceUri is not null;

    /// <summary>Which setting the storage came from, for log lines; never the connection string, which may hold a key.</summary>
    public string Describe() => !string.IsNullOrWhiteSpace(ConnectionString)
        ? $"{SectionName} (connection string)"
        : $"{SectionName}__blobServiceUri {BlobServiceUri?.GetLeftPart(UriPartial.Authority)}";

    public static HostStorageSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var serviceUri = section["blobServiceUri"] is { Length: > 0 } uri
            ? Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null
            : section["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.blob.core.windows.net") : null;
        return new HostStorageSettings(section.Value, serviceUri, section["credential"], section["clientId"]);
    }

    /// <summary>The client, or an exception (a malformed connection string) that the caller turns into a fallback.</summary>
    public BlobServiceClient CreateClient()
    {
        var options = new BlobClientOptions();
        // The lock must never hold a refresh for long: an unreachable storage account is a fallback within seconds.
        options.Retry.MaxRetries = 1;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        return !string.IsNullOrWhiteSpace(ConnectionString)
            ? new BlobServiceClient(ConnectionString, options)
            : new BlobServiceClient(BlobServiceUri, CreateCredential(), options);
    }

    /// <summary>Whether the host is told to use the managed identity (<c>__credential</c> = <c>managedidentity</c>).</summary>
    public bool UsesManagedIdentity => string.Equals(Credential, "managedidentity", StringComparison.OrdinalIgnoreCase);

    /// <summary>The user-assigned identity's client id (<c>__clientId</c>), or null for the system-assigned one.</summary>
    public string? UserAssignedClientId => string.IsNullOrWhiteSpace(ClientId) ? null : ClientId;

    /// <summary>The credential for identity-based storage, as the Functions host chooses it.</summary>
    public TokenCredential CreateCredential() => UsesManagedIdentity
        ? new ManagedIdentityCredential(UserAssignedClientId is { } id ? ManagedIdentityId.FromUserAssignedClientId(id) : ManagedIdentityId.SystemAssigned)
        : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = UserAssignedClientId });
}
