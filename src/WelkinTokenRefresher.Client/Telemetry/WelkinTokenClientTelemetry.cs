namespace WelkinTokenRefresher.Client;

/// <summary>
/// The names under which the library reports, for OpenTelemetry:
/// <c>.WithMetrics(m =&gt; m.AddMeter(WelkinTokenClientTelemetry.MeterName))</c> and
/// <c>.WithTracing(t =&gt; t.AddSource(WelkinTokenClientTelemetry.ActivitySourceName))</c>.
/// </summary>
public static class WelkinTokenClientTelemetry
{
    /// <summary>
    /// The meter: counter <c>welkin.token.client.vault_reads</c> (tags <c>outcome</c>: <c>ok</c> or the
    /// <see cref="WelkinTokenUnavailableReason"/> in snake_case; <c>source</c>: the named source, <c>default</c> for the
    /// unnamed one) and observable gauge <c>welkin.token.client.remaining_lifetime</c> (seconds until the token each source
    /// serves expires; tag <c>source</c>).
    /// </summary>
    public const string MeterName = "WelkinTokenRefresher.Client";

    /// <summary>The activity source: one span, <c>welkin.token.client.vault_read</c>, per vault read (tags <c>source</c> and <c>outcome</c>).</summary>
    public const string ActivitySourceName = "WelkinTokenRefresher.Client";
}
