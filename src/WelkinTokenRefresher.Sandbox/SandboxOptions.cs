using Microsoft.Extensions.Logging;

namespace WelkinTokenRefresher.Sandbox;

/// <summary>How <see cref="WelkinSandbox.StartAsync"/> sets the sandbox up. Every property has a usable default.</summary>
public sealed record SandboxOptions
{
    /// <summary>The clock of every emulator decision (token times, rate windows, Retry-After, vault times, bearer expiry).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary><c>exp − iat</c> of Welkin tokens.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The Welkin token path, e.g. an older API generation's.</summary>
    public string TokenPath { get; init; } = "/auth/token";

    /// <summary>The tenant in the URL of Welkin's <c>api-clients</c> token API.</summary>
    public string Tenant { get; init; } = "sandbox";

    /// <summary>
    /// When set, a second Welkin API client of this name, on a Welkin emulator of its own (its own credentials and rate
    /// window, as each API client has at Welkin) served over the <c>api-clients</c> API; the environment settings then
    /// configure it as the refresher's client of that name (<c>Welkin__Clients__{name}__…</c>).
    /// </summary>
    public string? ApiClientsClientName { get; init; }

    /// <summary>The vault secret name the environment settings point at.</summary>
    public string SecretName { get; init; } = "welkin-api-token";

    /// <summary>Fixed API client key; a random one per run when null.</summary>
    public string? ApiClient { get; init; }

    /// <summary>Fixed ports (0 = ephemeral, the default).</summary>
    public int WelkinPort { get; init; }

    public int KeyVaultPort { get; init; }

    public int IdentityPort { get; init; }

    /// <summary>See <see cref="KeyVault.KeyVaultEmulatorOptions.EnforceBearerLifetime"/>.</summary>
    public bool EnforceBearerLifetime { get; init; } = true;

    /// <summary>See <see cref="KeyVault.KeyVaultEmulatorOptions.TransactionsPer10Seconds"/> (Key Vault's 4,000 unless changed).</summary>
    public int? KeyVaultTransactionsPer10Seconds { get; init; } = 4000;

    /// <summary>Where emulator logs go; nothing is logged by default. Tokens and secrets are never logged.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
