using System.Diagnostics;

namespace WelkinTokenRefresher.Client.Telemetry;

/// <summary>The <see cref="WelkinTokenClientTelemetry.ActivitySourceName"/> activity source: one span per vault read.</summary>
internal static class ClientTracing
{
    public const string VaultReadSpan = "welkin.token.client.vault_read";

    private static readonly ActivitySource Source = new(WelkinTokenClientTelemetry.ActivitySourceName);

    /// <summary>Starts the span of one read, or returns null when nobody listens.</summary>
    public static Activity? StartRead(string source) =>
        Source.StartActivity(VaultReadSpan, ActivityKind.Internal)?.SetTag("source", source);

    public static void Finish(Activity? activity, string outcome, bool failed)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("outcome", outcome);
        if (failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
        }

        activity.Dispose();
    }
}
