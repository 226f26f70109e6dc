using System.Collections;

namespace WelkinTokenRefresher.Core.Telemetry;

/// <summary>A log scope with one attribute, <c>client</c>, that exporters (OpenTelemetry with scopes included) attach to every line in it.</summary>
internal sealed class ClientLogScope(string client) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] => index == 0 ? new("client", client) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"client:{client}";
}
