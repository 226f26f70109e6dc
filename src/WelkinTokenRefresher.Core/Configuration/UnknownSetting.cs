namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>A configuration key that no option binds, such as a typo: it has no effect, so the app says so.</summary>
/// <param name="Key">The key as configured, such as <c>Refresh:RefreshAftr</c>. Never its value: a secret may sit in a mistyped key.</param>
/// <param name="Suggestion">The one known key it is close to (at most two edits away), such as <c>Refresh:RefreshAfter</c>.</param>
public sealed record UnknownSetting(string Key, string? Suggestion)
{
    public override string ToString() =>
        $"{Key} (environment variable {ClientKeys.EnvironmentVariable(Key)}) is not a setting of this app and has no effect"
        + (Suggestion is null ? "." : $"; did you mean {Suggestion}?");
}
