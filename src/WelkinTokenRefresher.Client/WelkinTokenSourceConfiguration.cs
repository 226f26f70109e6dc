using Microsoft.Extensions.Configuration;
using WelkinTokenRefresher.Configuration;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Reads the bindable options from a configuration section, e.g. <c>KeyVault</c>, whose keys the sandbox prints and the
/// other-language examples read (<c>KeyVault:VaultUri</c>, <c>KeyVault:SecretName</c>,
/// <c>KeyVault:DisableChallengeResourceVerification</c>). Key by key rather than <c>Bind</c>: the options also hold a
/// credential and a callback, which no binder can create, and this way binding needs no reflection (trimming, Native AOT).
/// A key that is absent leaves its option as it was; a value that does not convert throws, naming the key and the type
/// it needs but never the value (<see cref="UnconvertibleSetting"/>). The section's path is kept, so that validation
/// errors name full keys.
/// </summary>
internal static class WelkinTokenSourceConfiguration
{
    public static void Apply(IConfiguration configuration, WelkinTokenSourceOptions options)
    {
        string? path = configuration is IConfigurationSection { Path.Length: > 0 } section ? section.Path : null;
        options.ConfigurationPath = path;
        try
        {
            options.VaultUri = configuration.GetValue(nameof(options.VaultUri), options.VaultUri);
            options.SecretName = configuration.GetValue(nameof(options.SecretName), options.SecretName) ?? options.SecretName;
            options.RefreshBeforeExpiry = configuration.GetValue(nameof(options.RefreshBeforeExpiry), options.RefreshBeforeExpiry);
            options.MinimumReadInterval = configuration.GetValue(nameof(options.MinimumReadInterval), options.MinimumReadInterval);
            options.ErrorBackoff = configuration.GetValue(nameof(options.ErrorBackoff), options.ErrorBackoff);
            options.MaxErrorBackoff = configuration.GetValue(nameof(options.MaxErrorBackoff), options.MaxErrorBackoff);
            options.VaultReadTimeout = configuration.GetValue(nameof(options.VaultReadTimeout), options.VaultReadTimeout);
            options.DisableChallengeResourceVerification = configuration.GetValue(
                nameof(options.DisableChallengeResourceVerification), options.DisableChallengeResourceVerification);
        }
        catch (InvalidOperationException e) when (UnconvertibleSetting.IsBinderFailure(e))
        {
            throw new InvalidOperationException(UnconvertibleSetting.Describe(e.Message, configuration, path ?? "the Welkin token source's configuration"));
        }
    }
}
