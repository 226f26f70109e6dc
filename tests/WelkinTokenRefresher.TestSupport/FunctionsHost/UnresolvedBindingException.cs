namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>A binding expression (<c>%name%</c>) names no app setting: the host does not load the function.</summary>
public sealed class UnresolvedBindingException(string functionName, string expression)
    : Exception($"Error indexing method 'Functions.{functionName}': '{expression}' does not resolve to a value (no app setting '{expression.Trim('%')}', environment variable '{expression.Trim('%').Replace(":", "__", StringComparison.Ordinal)}').")
{
    public string FunctionName { get; } = functionName;

    public string Expression { get; } = expression;
}
