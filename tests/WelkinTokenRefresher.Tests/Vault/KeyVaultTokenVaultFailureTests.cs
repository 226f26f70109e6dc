using Azure.Identity;
using WelkinTokenRefresher.Core.Vault;
using WelkinTokenRefresher.Core.Welkin;
using WelkinTokenRefresher.Tests.TestDoubles;

namespace WelkinTokenRefresher.Tests.Vault;

/// <summary>Vault failures become a <see cref="TokenVaultException"/> of the right kind, with a message saying what to do.</summary>
public sealed class KeyVaultTokenVaultFailureTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, VaultFailureKind, string> Failures() => new()
    {
        { "403", VaultFailureKind.Forbidden, "Key Vault Secrets Officer" },
        { "401", VaultFailureKind.AuthenticationFailed, "tenant" },
        { "429", VaultFailureKind.Throttled, "throttling" },
        { "500", VaultFailureKind.Unavailable, "KeyVault:VaultUri" },
        { "503", VaultFailureKind.Unavailable, "KeyVault:VaultUri" },
        { "408", VaultFailureKind.Unavailable, "KeyVault:VaultUri" },
        { "0", VaultFailureKind.Unavailable, "KeyVault:VaultUri" },
        { "499", VaultFailureKind.Rejected, "499" },
        { "409", VaultFailureKind.Rejected, "409" },
        { "no-credential", VaultFailureKind.NoCredential, "AZURE_CLIENT_ID" },
        { "auth-failed", VaultFailureKind.AuthenticationFailed, "AZURE_CLIENT_ID" },
        { "network", VaultFailureKind.Unavailable, "KeyVault:VaultUri" },
        { "aggregate", VaultFailureKind.Unavailable, "KeyVault:VaultUri" },
    };

    internal static Exception Make(string failure) => failure switch
    {
        "no-credential" => new CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials."),
        "auth-failed" => new AuthenticationFailedException("ManagedIdentityCredential authentication failed."),
        "network" => new HttpRequestException("Name or service not known (example.vault.azure.net:443)"),
        "aggregate" => new AggregateException("Retry failed after 3 tries.", new HttpRequestException("Connection refused")),
        _ => InMemorySecretClient.Failure(int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static void AssertDescribes(TokenVaultException e, VaultFailureKind kind, string hint, string operation)
    {
        Assert.Equal(kind, e.Kind);
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
        Assert.Contains("example.vault.azure.net", e.Message, StringComparison.Ordinal);
        Assert.Contains("'welkin-api-token'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"could not {operation}", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.InnerException);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Read_failure_is_translated(string failure, VaultFailureKind kind, string hint)
    {
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri)) { ReadFailure = Make(failure) };

        var e = await Assert.ThrowsAsync<TokenVaultException>(() => KeyVaultTokenVaultWriteTests.Vault(client).ReadCurrentAsync(CancellationToken.None));

        AssertDescribes(e, kind, hint, "read");
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Write_failure_is_translated(string failure, VaultFailureKind kind, string hint)
    {
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri)) { WriteFailure = Make(failure) };
        var token = new IssuedToken("t", IssuedAt, IssuedAt.AddHours(1), ExpirySource.ExpiresAtField);

        var e = await Assert.ThrowsAsync<TokenVaultException>(() => KeyVaultTokenVaultWriteTests.Vault(client).WriteAsync(token, CancellationToken.None));

        AssertDescribes(e, kind, hint, "write");
    }

    [Fact]
    public async Task Forbidden_read_names_both_roles()
    {
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri)) { ReadFailure = InMemorySecretClient.Failure(403, "Forbidden") };

        var e = await Assert.ThrowsAsync<TokenVaultException>(() => KeyVaultTokenVaultWriteTests.Vault(client).ReadCurrentAsync(CancellationToken.None));

        Assert.Contains("Key Vault Secrets Officer", e.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Secrets User", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_vault_suggests_when_to_retry()
    {
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri)) { ReadFailure = InMemorySecretClient.Failure(429) };

        var e = await Assert.ThrowsAsync<TokenVaultException>(() => KeyVaultTokenVaultWriteTests.Vault(client).ReadCurrentAsync(CancellationToken.None));

        Assert.True(e.RetryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task Caller_cancellation_propagates_untranslated()
    {
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => KeyVaultTokenVaultWriteTests.Vault(client).ReadCurrentAsync(cancelled.Token));
    }

    [Fact]
    public async Task An_exception_nobody_classified_is_a_vault_failure_named_by_its_type_never_by_its_message()
    {
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri)) { ReadFailure = new NotSupportedException("s3cr3t in a message") };

        var e = await Assert.ThrowsAsync<TokenVaultException>(() => KeyVaultTokenVaultWriteTests.Vault(client).ReadCurrentAsync(CancellationToken.None));

        Assert.Equal(VaultFailureKind.Unexpected, e.Kind);
        Assert.Equal(
            "Key Vault example.vault.azure.net could not read secret 'welkin-api-token': the Azure SDK failed with System.NotSupportedException, which this app does not recognise. Check KeyVault:VaultUri and the network, and please report it with this message.",
            e.Message);
    }

    public static TheoryData<string, string> ConnectionFailures() => new()
    {
        // Azure.Core after its retries: an AggregateException of RequestFailedException (status 0) around the transport's failure.
        { "untrusted", "the TLS connection failed: its certificate is not trusted on this machine; to trust a private certificate authority, add it to the system's trust store" },
        { "name-mismatch", "the TLS connection failed: its certificate does not name the host in the URL. Check KeyVault:VaultUri." },
        { "refused", "the vault could not be reached (connection refused), retries included (" },
        { "no-such-host", "the vault could not be reached (host name not found), retries included (" },
        { "timeout", "the vault did not answer in time: each of up to 3 attempts may take 00:00:10; " },
    };

    [Theory]
    [MemberData(nameof(ConnectionFailures))]
    public async Task A_connection_failure_says_which_and_never_that_the_vault_holds_no_token(string failure, string expected)
    {
        Exception transport = failure switch
        {
            "untrusted" => Tls("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"),
            "name-mismatch" => Tls("The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch"),
            "refused" => new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (example.vault.azure.net:443)", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)),
            "no-such-host" => new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known"),
            _ => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:10."),
        };
        var retried = new AggregateException("Retry failed after 3 tries.", Enumerable.Range(0, 3).Select(_ => new Azure.RequestFailedException(0, "transport failed", transport)));
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri)) { ReadFailure = retried };

        var e = await Assert.ThrowsAsync<TokenVaultException>(() => KeyVaultTokenVaultWriteTests.Vault(client).ReadCurrentAsync(CancellationToken.None));

        Assert.Equal(VaultFailureKind.Unavailable, e.Kind);
        Assert.StartsWith("Key Vault example.vault.azure.net could not read secret 'welkin-api-token': " + expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("KeyVault:VaultUri", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no token", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static HttpRequestException Tls(string detail) =>
        new(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.", new System.Security.Authentication.AuthenticationException(detail));

    [Fact]
    public async Task The_sdks_challenge_resource_check_is_explained_with_the_vault_key_and_the_emulator_setting()
    {
        var client = new InMemorySecretClient(TimeProvider.System, new Uri(TestSettings.VaultUri))
        {
            ReadFailure = new InvalidOperationException("The challenge resource 'https://vault.azure.net' does not match the requested domain. Set DisableChallengeResourceVerification to true in your client options to disable."),
        };

        var e = await Assert.ThrowsAsync<TokenVaultException>(() => KeyVaultTokenVaultWriteTests.Vault(client).ReadCurrentAsync(CancellationToken.None));

        Assert.Equal(VaultFailureKind.Rejected, e.Kind);
        Assert.Contains("Check KeyVault:VaultUri", e.Message, StringComparison.Ordinal);
        Assert.Contains("KeyVault:DisableChallengeResourceVerification=true", e.Message, StringComparison.Ordinal);
    }
}
