using Azure.Identity;
using Microsoft.Extensions.Configuration;
using WelkinTokenRefresher.Core.Coordination;

namespace WelkinTokenRefresher.Tests.Coordination;

/// <summary>The app's own storage, read from the settings the Functions host reads, and named in log lines without its key.</summary>
public sealed class HostStorageSettingsTests
{
    private static HostStorageSettings Read(params (string Key, string Value)[] settings) =>
        HostStorageSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build());

    [Fact]
    public void A_connection_string_is_described_without_its_key()
    {
        var settings = Read(("AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=stwelkin;AccountKey=c2VjcmV0LWtleQ=="));

        Assert.True(settings.IsConfigured);
        Assert.Equal("AzureWebJobsStorage (connection string)", settings.Describe());
    }

    [Fact]
    public void A_blob_service_uri_wins_over_an_account_name_and_is_described_by_its_authority()
    {
        var settings = Read(
            ("AzureWebJobsStorage:blobServiceUri", "https://stwelkin.blob.core.windows.net/some/path"),
            ("AzureWebJobsStorage:accountName", "other"));

        Assert.True(settings.IsConfigured);
        Assert.Equal("AzureWebJobsStorage__blobServiceUri https://stwelkin.blob.core.windows.net", settings.Describe());
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", " ")]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "not a uri")]
    [InlineData("AzureWebJobsStorage:accountName", "")]
    [InlineData("AzureWebJobsStorage:credential", "managedidentity")]
    public void Without_a_connection_string_or_a_service_address_no_storage_is_configured(string key, string value)
    {
        Assert.False(Read((key, value)).IsConfigured);
    }

    [Theory]
    [InlineData("managedidentity", null)]
    [InlineData("ManagedIdentity", "00000000-0000-0000-0000-000000000001")]
    public void The_managed_identity_is_used_when_the_host_is_told_so(string credential, string? clientId)
    {
        var settings = new HostStorageSettings(null, new Uri("https://stwelkin.blob.core.windows.net"), credential, clientId);

        Assert.IsType<ManagedIdentityCredential>(settings.CreateCredential());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("azurecli")]
    public void Otherwise_the_default_credential_chain_is_used(string? credential)
    {
        var settings = new HostStorageSettings(null, new Uri("https://stwelkin.blob.core.windows.net"), credential, null);

        Assert.IsType<DefaultAzureCredential>(settings.CreateCredential());
    }

    [Theory]
    [InlineData("managedidentity", true)]
    [InlineData("ManagedIdentity", true)]
    [InlineData("azurecli", false)]
    [InlineData(null, false)]
    public void Only_the_credential_setting_managedidentity_selects_the_managed_identity(string? credential, bool managed)
    {
        Assert.Equal(managed, new HostStorageSettings(null, null, credential, null).UsesManagedIdentity);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData("00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000001")]
    public void A_blank_client_id_means_the_system_assigned_identity(string? clientId, string? userAssigned)
    {
        Assert.Equal(userAssigned, new HostStorageSettings(null, null, "managedidentity", clientId).UserAssignedClientId);
    }
}
