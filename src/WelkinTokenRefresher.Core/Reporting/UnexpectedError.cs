namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>
/// What to say about an exception nobody classified: its type, never its message, which may quote a URL path (where
/// <c>Tenant</c> and <c>ApiClient</c> go) or a value that should not be repeated.
/// </summary>
public static class UnexpectedError
{
    /// <param name="what">What failed, such as <c>refresh of client 'live'</c>.</param>
    /// <param name="consequence">What that means for the token, such as <c>nothing was written</c>.</param>
    public static string Describe(Exception e, string what, string consequence) =>
        $"The {what} failed with an unexpected {TypeName(e)}; {consequence}. This is not an error this app recognises: please report it with this message.";

    /// <summary>The exception's type; for an exception wrapping others (as Azure.Core does with retried failures), the inner ones too.</summary>
    public static string TypeName(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } a => $"{e.GetType().FullName} ({string.Join(", ", a.InnerExceptions.Select(i => i.GetType().FullName).Distinct())})",
        _ => e.GetType().FullName ?? e.GetType().Name,
    };
}
