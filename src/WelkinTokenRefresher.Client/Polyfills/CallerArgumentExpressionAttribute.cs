#if NETSTANDARD2_0
namespace System.Runtime.CompilerServices;

/// <summary>The compiler fills a parameter marked with it with the argument's expression; .NET Standard 2.0 lacks the type.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
internal sealed class CallerArgumentExpressionAttribute(string parameterName) : Attribute
{
    public string ParameterName { get; } = parameterName;
}
#endif
