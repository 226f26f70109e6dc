using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WelkinTokenRefresher.Sandbox.Hosting;
using WelkinTokenRefresher.Sandbox.Identity;
using WelkinTokenRefresher.Sandbox.KeyVault;
using WelkinTokenRefresher.Sandbox.Logging;
using WelkinTokenRefresher.Sandbox.Welkin;

namespace WelkinTokenRefresher.Sandbox;

/// <summary>
/// Welkin's auth API (HTTP), Azure Key Vault (HTTPS, certificate authority generated per process) and the App Service
/// managed identity endpoint (HTTP), all on 127.0.0.1. Development and test tooling only.
/// </summary>
public sealed class WelkinSandbox : IAsyncDisposable
{
    private readonly SandboxCertificates _certificates;
    private readonly string _pemDirectory;
    private readonly LoopbackHost[] _hosts;

    private WelkinSandbox(
        SandboxOptions options,
        SandboxCertificates certificates,
        string pemDirectory,
        WelkinAuthEmulator welkin,
        KeyVaultEmulator keyVault,
        ManagedIdentityEmulator identity,
        LoopbackHost welkinHost,
        LoopbackHost vaultHost,
        LoopbackHost identityHost,
        (string Name, WelkinAuthEmulator Welkin, LoopbackHost Host)? apiClientsClient)
    {
        _certificates = certificates;
        _pemDirectory = pemDirectory;
        _hosts = apiClientsClient is { } second ? [welkinHost, vaultHost, identityHost, second.Host] : [welkinHost, vaultHost, identityHost];
        if (apiClientsClient is { } client)
        {
            ApiClientsClient = new SandboxApiClient(client.Name, client.Welkin, new Uri(client.Host.BaseUri.GetLeftPart(UriPartial.Authority)));
        }

        TokenPath = options.TokenPath;
        Tenant = options.Tenant;
        SecretName = options.SecretName;
        Welkin = welkin;
        KeyVault = keyVault;
        Identity = identity;
        WelkinBaseUrl = new Uri(welkinHost.BaseUri.GetLeftPart(UriPartial.Authority));
        VaultUri = vaultHost.BaseUri;
        IdentityEndpoint = new Uri(identityHost.BaseUri, ManagedIdentityEndpoints.TokenPath);
    }

    /// <summary>The Welkin stand-in's base URL, without a trailing slash (e.g. <c>http://127.0.0.1:40001</c>).</summary>
    public Uri WelkinBaseUrl { get; }

    public string TokenPath { get; }

    /// <summary>The tenant the <c>api-clients</c> token API accepts (<c>POST /{Tenant}/admin/api_clients/{ApiClient}</c>).</summary>
    public string Tenant { get; }

    /// <summary>The protected endpoint that accepts only valid, unexpired sandbox Welkin tokens.</summary>
    public Uri PingUrl => new(WelkinBaseUrl, WelkinEndpoints.PingPath);

    /// <summary>The vault URI, e.g. <c>https://127.0.0.1:40002/</c>.</summary>
    public Uri VaultUri { get; }

    public string SecretName { get; }

    /// <summary>The <c>IDENTITY_ENDPOINT</c> value.</summary>
    public Uri IdentityEndpoint { get; }

    /// <summary>The <c>IDENTITY_HEADER</c> value.</summary>
    public string IdentityHeader => Identity.Header;

    /// <summary>The API client key Welkin accepts (per run unless fixed in the options).</summary>
    public string ApiClient => Welkin.ApiClient;

    /// <summary>The secret Welkin currently accepts (random per run; changes on rotation).</summary>
    public string Secret => Welkin.Secret;

    /// <summary>The certificate authority that signed the vault's TLS certificate (public part).</summary>
    public X509Certificate2 CertificateAuthority => _certificates.Authority;

    /// <summary>A PEM file holding <see cref="CertificateAuthority"/>, for <c>SSL_CERT_FILE</c> of child processes.</summary>
    public string CertificatePemPath => Path.Combine(_pemDirectory, "sandbox-ca.pem");

    public WelkinAuthEmulator Welkin { get; }

    /// <summary>The second API client (<see cref="SandboxOptions.ApiClientsClientName"/>) on the api-clients API, or null.</summary>
    public SandboxApiClient? ApiClientsClient { get; }

    public KeyVaultEmulator KeyVault { get; }

    public ManagedIdentityEmulator Identity { get; }

    /// <summary>
    /// The settings that point the Functions app, the CLI and consumers at the sandbox (environment variable
    /// names; <c>__</c> is the configuration separator). Includes the Welkin secret: do not print it.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentSettings
    {
        get
        {
            var settings = DefaultClientSettings;
            if (ApiClientsClient is { } client)
            {
                var prefix = $"Welkin__Clients__{client.Name}__";
                settings[prefix + "Api"] = "api-clients";
                settings[prefix + "BaseUrl"] = client.WelkinBaseUrl.AbsoluteUri.TrimEnd('/');
                settings[prefix + "Tenant"] = Tenant;
                settings[prefix + "ApiClient"] = client.Welkin.ApiClient;
                settings[prefix + "Secret"] = client.Welkin.Secret;
            }

            return settings;
        }
    }

    private Dictionary<string, string> DefaultClientSettings => new(StringComparer.Ordinal)
    {
        ["Welkin__BaseUrl"] = WelkinBaseUrl.AbsoluteUri.TrimEnd('/'),
        ["Welkin__TokenPath"] = TokenPath,
        ["Welkin__ApiClient"] = ApiClient,
        ["Welkin__Secret"] = Secret,
        ["KeyVault__VaultUri"] = VaultUri.AbsoluteUri,
        ["KeyVault__SecretName"] = SecretName,
        ["KeyVault__DisableChallengeResourceVerification"] = "true",
        ["IDENTITY_ENDPOINT"] = IdentityEndpoint.AbsoluteUri,
        ["IDENTITY_HEADER"] = IdentityHeader,
        ["SSL_CERT_FILE"] = CertificatePemPath,
        // Python requests and Node.js ignore SSL_CERT_FILE; the consumer examples in docs/examples need these.
        ["REQUESTS_CA_BUNDLE"] = CertificatePemPath,
        ["NODE_EXTRA_CA_CERTS"] = CertificatePemPath,
    };

    /// <summary>Starts the three emulators on 127.0.0.1.</summary>
    public static async Task<WelkinSandbox> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        if (!options.TokenPath.StartsWith('/'))
        {
            throw new ArgumentException("TokenPath must start with '/'.", nameof(options));
        }

        var time = options.TimeProvider;
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var identity = new ManagedIdentityEmulator(time, logger: loggers.CreateLogger<ManagedIdentityEmulator>());
        var keyVault = new KeyVaultEmulator(identity, time, new KeyVaultEmulatorOptions { EnforceBearerLifetime = options.EnforceBearerLifetime, TransactionsPer10Seconds = options.KeyVaultTransactionsPer10Seconds }, loggers.CreateLogger<KeyVaultEmulator>());
        var welkin = new WelkinAuthEmulator(
            options.ApiClient ?? "sandbox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            WelkinAuthEmulator.NewSecret(),
            time,
            new WelkinEmulatorOptions { TokenLifetime = options.TokenLifetime, Tenant = options.Tenant },
            loggers.CreateLogger<WelkinAuthEmulator>());
        var secondWelkin = options.ApiClientsClientName is { } secondName
            ? new WelkinAuthEmulator(
                "sandbox-" + secondName + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
                WelkinAuthEmulator.NewSecret(),
                time,
                new WelkinEmulatorOptions { TokenLifetime = options.TokenLifetime, Tenant = options.Tenant },
                loggers.CreateLogger<WelkinAuthEmulator>())
            : null;
        var certificates = SandboxCertificates.Shared;
        var pemDirectory = Directory.CreateTempSubdirectory("welkin-sandbox-").FullName;
        var started = new List<LoopbackHost>();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(pemDirectory, "sandbox-ca.pem"), certificates.Authority.ExportCertificatePem(), cancellationToken).ConfigureAwait(false);
            started.Add(await LoopbackHost.StartAsync(options.WelkinPort, null, WelkinEndpoints.Create(welkin, options.TokenPath, time), cancellationToken).ConfigureAwait(false));
            started.Add(await LoopbackHost.StartAsync(options.KeyVaultPort, certificates.Server, KeyVaultEndpoints.Create(keyVault, time), cancellationToken).ConfigureAwait(false));
            started.Add(await LoopbackHost.StartAsync(options.IdentityPort, null, ManagedIdentityEndpoints.Create(identity, time), cancellationToken).ConfigureAwait(false));
            if (secondWelkin is not null)
            {
                started.Add(await LoopbackHost.StartAsync(0, null, WelkinEndpoints.Create(secondWelkin, options.TokenPath, time), cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (var host in started)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            Directory.Delete(pemDirectory, recursive: true);
            welkin.Dispose();
            secondWelkin?.Dispose();
            throw;
        }

        var sandbox = new WelkinSandbox(options, certificates, pemDirectory, welkin, keyVault, identity, started[0], started[1], started[2],
            secondWelkin is null ? null : (options.ApiClientsClientName!, secondWelkin, started[3]));
        loggers.CreateLogger<WelkinSandbox>().SandboxStarted(sandbox.WelkinBaseUrl, sandbox.VaultUri, sandbox.IdentityEndpoint);
        return sandbox;
    }

    /// <summary>
    /// A handler that trusts the sandbox certificate authority (and only it, for TLS), for
    /// <c>new HttpClientTransport(sandbox.CreateTrustingHandler())</c> in <c>SecretClientOptions.Transport</c>
    /// or <c>new HttpClient(sandbox.CreateTrustingHandler())</c>. The caller owns and disposes it.
    /// </summary>
    public SocketsHttpHandler CreateTrustingHandler()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(CertificateAuthority);
        return new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        Welkin.Dispose();
        ApiClientsClient?.Welkin.Dispose();
        try
        {
            Directory.Delete(_pemDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the file open; the OS temp cleaner takes it later.
        }
    }
}
