using System.Net.Http.Json;

namespace WelkinTokenRefresher.Client;

/// <summary>
/// Decides whether a request body can be sent a second time after a 401.
/// </summary>
internal static class ReplayableContent
{
    /// <summary>
    /// True for no body and for bodies that produce the same bytes on every send: <see cref="ByteArrayContent"/>
    /// (and so <see cref="StringContent"/> and <see cref="FormUrlEncodedContent"/>), <c>ReadOnlyMemoryContent</c> (.NET 5 and later),
    /// <see cref="JsonContent"/> (serialized again on each send) and <see cref="MultipartContent"/> whose parts all qualify.
    /// A <see cref="StreamContent"/> or any other type may already be consumed, so it does not qualify.
    /// </summary>
    public static bool CanSendAgain(HttpContent? content) => content switch
    {
        null => true,
        ByteArrayContent or JsonContent => true,
#if NET
        ReadOnlyMemoryContent => true,
#endif
        MultipartContent multipart => multipart.All(CanSendAgain),
        _ => false,
    };
}
