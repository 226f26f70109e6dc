namespace WelkinTokenRefresher.Sandbox.Tests;

public sealed class SandboxFacadeTests
{
    [Fact]
    public async Task Environment_settings_point_at_the_bound_loopback_addresses()
    {
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { SecretName = "my-token" });
        var settings = sandbox.EnvironmentSettings;

        Assert.Equal(sandbox.WelkinBaseUrl.AbsoluteUri.TrimEnd('/'), settings["Welkin__BaseUrl"]);
        Assert.Equal("/auth/token", settings["Welkin__TokenPath"]);
        Assert.Equal(sandbox.ApiClient, settings["Welkin__ApiClient"]);
        Assert.Equal(sandbox.Secret, settings["Welkin__Secret"]);
        Assert.Equal(sandbox.VaultUri.AbsoluteUri, settings["KeyVault__VaultUri"]);
        Assert.Equal("my-token", settings["KeyVault__SecretName"]);
        Assert.Equal("true", settings["KeyVault__DisableChallengeResourceVerification"]);
        Assert.Equal(sandbox.IdentityEndpoint.AbsoluteUri, settings["IDENTITY_ENDPOINT"]);
        Assert.Equal(sandbox.IdentityHeader, settings["IDENTITY_HEADER"]);
        Assert.Equal(sandbox.CertificatePemPath, settings["SSL_CERT_FILE"]);
        Assert.Equal(sandbox.CertificatePemPath, settings["REQUESTS_CA_BUNDLE"]);
        Assert.Equal(sandbox.CertificatePemPath, settings["NODE_EXTRA_CA_CERTS"]);
        Assert.All([sandbox.WelkinBaseUrl, sandbox.VaultUri, sandbox.IdentityEndpoint], uri => Assert.Equal("127.0.0.1", uri.Host));
        Assert.Equal("https", sandbox.VaultUri.Scheme);
        Assert.Contains("BEGIN CERTIFICATE", await File.ReadAllTextAsync(sandbox.CertificatePemPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_api_client_gets_a_welkin_of_its_own_on_the_api_clients_api_and_its_settings()
    {
        await using var sandbox = await WelkinSandbox.StartAsync(new SandboxOptions { ApiClientsClientName = "live", Tenant = "acme" });
        var live = sandbox.ApiClientsClient!;
        var settings = sandbox.EnvironmentSettings;
        using var http = new HttpClient();

        using var answer = await http.PostAsync(
            new Uri(live.WelkinBaseUrl, $"/acme/admin/api_clients/{live.Welkin.ApiClient}"),
            new StringContent($$"""{"secret":"{{live.Welkin.Secret}}"}""", System.Text.Encoding.UTF8, "application/json"));
        using var wrongWelkin = await WelkinClient.RequestTokenAsync(http, sandbox, live.Welkin.ApiClient, live.Welkin.Secret);

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrongWelkin.StatusCode);
        Assert.NotEqual(sandbox.WelkinBaseUrl, live.WelkinBaseUrl);
        Assert.NotEqual(sandbox.Secret, live.Welkin.Secret);
        Assert.Equal("api-clients", settings["Welkin__Clients__live__Api"]);
        Assert.Equal(live.WelkinBaseUrl.AbsoluteUri.TrimEnd('/'), settings["Welkin__Clients__live__BaseUrl"]);
        Assert.Equal("acme", settings["Welkin__Clients__live__Tenant"]);
        Assert.Equal(live.Welkin.ApiClient, settings["Welkin__Clients__live__ApiClient"]);
        Assert.Equal(live.Welkin.Secret, settings["Welkin__Clients__live__Secret"]);
        Assert.Equal(1, live.Welkin.Counters.TokensIssued);
        Assert.Equal(0, sandbox.Welkin.Counters.TokensIssued);
    }

    [Fact]
    public async Task Without_a_second_client_the_settings_name_only_the_default_client()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();

        Assert.Null(sandbox.ApiClientsClient);
        Assert.DoesNotContain(sandbox.EnvironmentSettings.Keys, k => k.StartsWith("Welkin__Clients__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_run_generates_its_own_credentials_and_disposal_removes_the_pem_file()
    {
        var first = await WelkinSandbox.StartAsync();
        await using var second = await WelkinSandbox.StartAsync();
        var pem = first.CertificatePemPath;

        Assert.NotEqual(first.Secret, second.Secret);
        Assert.NotEqual(first.ApiClient, second.ApiClient);
        Assert.NotEqual(first.IdentityHeader, second.IdentityHeader);
        await first.DisposeAsync();
        Assert.False(File.Exists(pem));
    }

    [Fact]
    public async Task The_pem_file_alone_is_a_working_trust_anchor()
    {
        await using var sandbox = await WelkinSandbox.StartAsync();
        using var anchor = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(sandbox.CertificatePemPath);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.Add(anchor);
                return certificate is not null && chain.Build(certificate);
            },
        };
        using var http = new HttpClient(handler);

        using var response = await http.GetAsync(new Uri(sandbox.VaultUri, "secrets?api-version=7.6"));

        Assert.Equal(401, (int)response.StatusCode);
    }
}
