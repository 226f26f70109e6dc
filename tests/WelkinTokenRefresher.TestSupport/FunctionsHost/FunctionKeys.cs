using System.Security.Cryptography;
using System.Text;

namespace WelkinTokenRefresher.TestSupport.FunctionsHost;

/// <summary>
/// The keys the stand-in host accepts, made at start: a <c>default</c> key per function, a <c>default</c> host key and the
/// master key. As in the host, a key comes in the <c>code</c> query parameter or the <c>x-functions-key</c> header; a
/// <c>function</c>-level route takes its function's key, a host key or the master key, an <c>admin</c>-level one only the
/// master key, an <c>anonymous</c> one none.
/// </summary>
internal sealed class FunctionKeys
{
    public const string Header = "x-functions-key";
    private readonly Dictionary<string, string> _functionKeys;

    public FunctionKeys(IEnumerable<string> functionNames) =>
        _functionKeys = functionNames.ToDictionary(name => name, _ => NewKey(), StringComparer.OrdinalIgnoreCase);

    public string HostKey { get; } = NewKey();

    public string MasterKey { get; } = NewKey();

    public string ForFunction(string name) =>
        _functionKeys.TryGetValue(name, out var key) ? key : throw new ArgumentException($"No function named '{name}' is loaded.", nameof(name));

    /// <summary>Whether a request carrying <paramref name="key"/> (or none) may call <paramref name="route"/>.</summary>
    public bool Admit(HttpRoute route, string? key) => route.AuthLevel.ToLowerInvariant() switch
    {
        "anonymous" => true,
        "admin" => Same(key, MasterKey),
        _ => Same(key, ForFunction(route.Function.Name)) || Same(key, HostKey) || Same(key, MasterKey),
    };

    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    // Host keys are 56 URL-safe characters; any unguessable value serves a stand-in.
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(40)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
