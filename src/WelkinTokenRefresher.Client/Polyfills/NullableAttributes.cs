#if NETSTANDARD2_0
namespace System.Diagnostics.CodeAnalysis;

/// <summary>Nullable analysis: the argument is not null when the method returns (in .NET Standard 2.1 and later).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.ReturnValue)]
internal sealed class NotNullAttribute : Attribute;

/// <summary>Nullable analysis: the method never returns (in .NET Standard 2.1 and later).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DoesNotReturnAttribute : Attribute;
#endif
