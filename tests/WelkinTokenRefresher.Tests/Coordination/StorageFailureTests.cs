using Azure;
using Azure.Identity;
using WelkinTokenRefresher.Core.Coordination;

namespace WelkinTokenRefresher.Tests.Coordination;

/// <summary>
/// Which failures of the app's storage turn the lock into a fallback rather than a failed refresh, and how a warning
/// names them: status and error code, never the SDK's message with its request details.
/// </summary>
public sealed class StorageFailureTests
{
    public static TheoryData<Exception> StorageFailures => new()
    {
        new RequestFailedException(503, "Service Unavailable", "ServerBusy", null),
        new AuthenticationFailedException("refused"),
        new CredentialUnavailableException("none"),
        new HttpRequestException("reset"),
        new TimeoutException(),
        new AggregateException(new HttpRequestException("reset")),
        new IOException("broken pipe"),
        new TaskCanceledException("network timeout"),
    };

    [Theory]
    [MemberData(nameof(StorageFailures))]
    public void Storage_and_network_failures_are_a_fallback(Exception failure)
    {
        Assert.True(BlobRefreshLeaseStore.IsStorageFailure(failure, CancellationToken.None));
    }

    [Fact]
    public void A_cancellation_the_caller_asked_for_is_not_a_storage_failure_and_a_bug_is_not_either()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(BlobRefreshLeaseStore.IsStorageFailure(new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.False(BlobRefreshLeaseStore.IsStorageFailure(new ArgumentNullException("state"), CancellationToken.None));
        Assert.False(BlobRefreshLeaseStore.IsStorageFailure(new InvalidOperationException(), CancellationToken.None));
    }

    [Fact]
    public void Warnings_name_the_status_and_error_code_or_what_kind_of_failure_it_was()
    {
        Assert.Equal("409 LeaseAlreadyPresent", BlobRefreshLeaseStore.Describe(new RequestFailedException(409, "secret detail", "LeaseAlreadyPresent", null)));
        Assert.Equal("500", BlobRefreshLeaseStore.Describe(new RequestFailedException(500, "secret detail")));
        Assert.Equal("unreachable: HttpRequestException", BlobRefreshLeaseStore.Describe(new RequestFailedException("secret detail", new HttpRequestException("x"))));
        Assert.Equal("unreachable: no answer", BlobRefreshLeaseStore.Describe(new RequestFailedException("secret detail")));
        Assert.Equal("no Azure credential is available for the storage account", BlobRefreshLeaseStore.Describe(new CredentialUnavailableException("secret detail")));
        Assert.Equal("Microsoft Entra ID refused a token for the storage account", BlobRefreshLeaseStore.Describe(new AuthenticationFailedException("secret detail")));
        Assert.Equal("TimeoutException", BlobRefreshLeaseStore.Describe(new TimeoutException("secret detail")));
    }
}
