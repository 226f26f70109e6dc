using Microsoft.Extensions.DependencyInjection;

namespace WelkinTokenRefresher.Cli.Composition;

/// <summary>
/// What a caller adds to the CLI's own composition: settings read after the environment's, and changes to the services
/// after the CLI's registration. The sandbox cycle points the refresh at its stand-ins and trusts their certificate this
/// way; tests put faults in place.
/// </summary>
internal sealed record CompositionOverrides(IEnumerable<KeyValuePair<string, string?>>? Settings = null, Action<IServiceCollection>? Services = null)
{
    public static readonly CompositionOverrides None = new();
}
