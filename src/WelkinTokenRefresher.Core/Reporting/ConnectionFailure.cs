using System.Net.Sockets;
using System.Security.Authentication;

namespace WelkinTokenRefresher.Core.Reporting;

/// <summary>
/// What to say when a connection fails below HTTP, wherever in an exception's chain the cause sits (HttpClient wraps it in
/// <see cref="HttpRequestException"/>; Azure.Core in RequestFailedException and, after retries, AggregateException): a
/// certificate this machine does not trust, and how to trust it; a refused connection; a host name that does not resolve.
/// </summary>
public static class ConnectionFailure
{
    /// <summary>How to trust a private certificate authority, for the platforms the CLI runs on.</summary>
    public const string HowToTrust =
        "to trust a private certificate authority, add it to the system's trust store (Debian/Ubuntu: into /usr/local/share/ca-certificates, then update-ca-certificates) or set SSL_CERT_FILE to a PEM bundle that holds it";

    /// <summary>Why the TLS handshake failed, with how to fix it, or null when <paramref name="e"/> is no TLS failure.</summary>
    public static string? Tls(Exception e)
    {
        if (Find<HttpRequestException>(e, h => h.HttpRequestError == HttpRequestError.SecureConnectionError) is not { } handshake)
        {
            return null;
        }

        // SslStream names the certificate's problem in its message (the only place it does): a chain status such as
        // UntrustedRoot, or a policy error such as RemoteCertificateNameMismatch.
        var detail = Find<AuthenticationException>(handshake, _ => true)?.Message ?? "";
        return detail switch
        {
            _ when detail.Contains("UntrustedRoot", StringComparison.Ordinal) || detail.Contains("PartialChain", StringComparison.Ordinal)
                => $"its certificate is not trusted on this machine; {HowToTrust}",
            _ when detail.Contains("NotTimeValid", StringComparison.Ordinal) => "its certificate has expired or is not valid yet",
            _ when detail.Contains("RemoteCertificateNameMismatch", StringComparison.Ordinal) => "its certificate does not name the host in the URL",
            _ when detail.Contains("certificate", StringComparison.OrdinalIgnoreCase) => $"its certificate was refused; if it is signed by a private certificate authority, {HowToTrust}",
            _ => "the TLS handshake failed (protocol or cipher mismatch, or the server is not speaking TLS)",
        };
    }

    /// <summary>A short cause of a failed connection, such as <c>connection refused</c>, or null when none is known.</summary>
    public static string? Cause(Exception e) =>
        Find<SocketException>(e, _ => true)?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.TimedOut => "connection timed out",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name not found",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to host",
            SocketError.ConnectionReset => "connection reset",
            _ => Find<HttpRequestException>(e, _ => true)?.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "host name not found",
                HttpRequestError.ConnectionError => "connection failed",
                null or HttpRequestError.Unknown => null,
                { } other => other.ToString(),
            },
        };

    /// <summary>Whether the failure was a timeout (a network timeout, or a cancellation nobody asked for).</summary>
    public static bool TimedOut(Exception e) => Find<Exception>(e, inner => inner is TimeoutException or OperationCanceledException) is not null;

    /// <summary>The first exception of type <typeparamref name="T"/> matching <paramref name="match"/> in the chain, inner and aggregated ones included.</summary>
    private static T? Find<T>(Exception? e, Func<T, bool> match)
        where T : Exception
    {
        for (var depth = 0; e is not null && depth < 16; depth++)
        {
            if (e is T found && match(found))
            {
                return found;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(inner => Find(inner, match)).FirstOrDefault(found => found is not null);
            }

            e = e.InnerException;
        }

        return null;
    }
}
