namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>The JSON answer to a request that could not be acted on, such as a bad parameter or an unknown client.</summary>
/// <param name="Client">The client the request named (or <c>default</c>).</param>
/// <param name="Clients">For an unknown client: the configured names.</param>
public sealed record ErrorReport(string Category, string Message, string? Client = null, IReadOnlyList<string>? Clients = null)
{
    public const string UnknownClientCategory = "unknown-client";

    /// <param name="parameter">Where the caller names a client (<c>--client</c>, or the query parameter <c>client</c>).</param>
    /// <param name="howToChoose">How to pick one of the configured clients, such as <c>--client NAME or --all</c>.</param>
    public static ErrorReport UnknownClient(string client, IReadOnlyList<string> configured, string parameter, string howToChoose) => new(
        UnknownClientCategory,
        (client == Configuration.WelkinClientSettings.DefaultName && configured.Count > 0
            ? $"No client named 'default' is configured: the Welkin section has no ApiClient or Secret of its own, so only named clients exist; pick one with {howToChoose}"
            : $"No Welkin API client named '{client}' is configured ({parameter})")
            + $"; the configured clients are {string.Join(", ", configured.Select(c => $"'{c}'"))}.",
        client,
        configured);
}
