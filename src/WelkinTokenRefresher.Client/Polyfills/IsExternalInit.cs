#if NETSTANDARD2_0
namespace System.Runtime.CompilerServices;

/// <summary>Lets the compiler emit <c>init</c> accessors (records) for .NET Standard 2.0, which lacks this marker type.</summary>
internal static class IsExternalInit;
#endif
