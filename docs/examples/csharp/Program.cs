// Reads the current Welkin token as a workload does, configured only by the environment: KeyVault__VaultUri,
// KeyVault__SecretName and (against the sandbox only) KeyVault__DisableChallengeResourceVerification, plus what
// DefaultAzureCredential reads (a managed identity; IDENTITY_ENDPOINT and IDENTITY_HEADER in the sandbox).
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WelkinTokenRefresher.Client;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddWelkinTokenSource(builder.Configuration.GetSection("KeyVault"));
using var host = builder.Build();

try
{
    WelkinToken token = await host.Services.GetRequiredService<IWelkinTokenSource>().GetTokenAsync();
    // The version and expiry only: the token itself is a secret.
    Console.WriteLine($"Welkin token version {token.Version}, expires {token.ExpiresOn:O}");
    return 0;
}
catch (OptionsValidationException invalid)
{
    Console.Error.WriteLine($"Configuration: {invalid.Message}");
    return 2;
}
catch (WelkinTokenUnavailableException unavailable)
{
    Console.Error.WriteLine($"{unavailable.Reason}: {unavailable.Message}");
    return 1;
}
