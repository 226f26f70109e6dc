namespace WelkinTokenRefresher.Core.Configuration;

/// <summary>Collects configuration errors that name the key, what it should hold and the environment variable to set.</summary>
internal sealed class ValidationErrors
{
    /// <summary>
    /// Ends a message about a text setting: its value is never repeated, because the Welkin secret pasted into the
    /// wrong setting (SecretName for Secret, say) would otherwise land in the start-up log and on stderr.
    /// </summary>
    public const string NotShown = "; the value given is not shown, as it may be a secret";

    private readonly List<string> _errors = [];

    public void Add(string key, string problem) => _errors.Add(Format(key, problem));

    /// <summary>A configuration problem: the key, what is wrong, and the environment variable that sets it.</summary>
    public static string Format(string key, string problem) => $"{key} {problem} (environment variable {ClientKeys.EnvironmentVariable(key)}).";

    public void RequireAbsoluteHttpUrl(string key, Uri? value, bool requireHttps)
    {
        if (value is null)
        {
            Add(key, "is required: set it to an absolute https:// URL");
        }
        else if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttps && (requireHttps || value.Scheme != Uri.UriSchemeHttp)))
        {
            Add(key, $"must be an absolute {(requireHttps ? "https://" : "http(s)://")} URL{NotShown}");
        }
    }

    public void RequirePositive(string key, TimeSpan value, string example)
    {
        if (value <= TimeSpan.Zero)
        {
            Add(key, $"must be a positive time span such as {example}, but is {value}");
        }
    }

    public Microsoft.Extensions.Options.ValidateOptionsResult ToResult() =>
        _errors.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(_errors);
}
