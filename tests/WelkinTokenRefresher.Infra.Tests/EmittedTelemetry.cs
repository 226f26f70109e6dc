using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WelkinTokenRefresher.Core.Refresh;
using WelkinTokenRefresher.Core.Telemetry;

namespace WelkinTokenRefresher.Infra.Tests;

/// <summary>
/// What the app emits, found by running and reading its own code, never from a list kept here: <see cref="RefreshMetrics"/>
/// records one refresh for every status, reason and trigger the code knows (each outcome label is
/// <see cref="RefreshOutcome.MetricOutcome"/>'s) and observes a token; the log events are the core's
/// <c>[LoggerMessage]</c> methods, with the properties their message templates name.
/// </summary>
internal sealed partial class EmittedTelemetry
{
    private EmittedTelemetry(
        Dictionary<string, HashSet<string>> tagKeys,
        Dictionary<string, HashSet<string>> tagValues,
        HashSet<string> failureOutcomes,
        Dictionary<int, string> logTemplates)
    {
        TagKeysByMetric = tagKeys;
        TagValues = tagValues;
        FailureOutcomes = failureOutcomes;
        LogTemplates = logTemplates;
    }

    public static EmittedTelemetry Instance { get; } = Collect();

    /// <summary>Every instrument of the meter, with the dimensions it was recorded with.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> TagKeysByMetric { get; }

    /// <summary>Dimension name to every value recorded (outcome, trigger).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> TagValues { get; }

    /// <summary>
    /// The outcome labels of failed refreshes: every status but <see cref="RefreshStatus.Succeeded"/> (a valid token
    /// afterwards) and <see cref="RefreshStatus.Throttled"/> (a refusal that called no one).
    /// </summary>
    public IReadOnlySet<string> FailureOutcomes { get; }

    /// <summary>Event id to message template, of every source-generated log method of the core.</summary>
    public IReadOnlyDictionary<int, string> LogTemplates { get; }

    /// <summary>The properties a log event carries in Application Insights: its template's placeholders, and EventId, which the Azure Monitor exporter adds.</summary>
    public IReadOnlySet<string> LogProperties(int eventId) =>
        Placeholder().Matches(LogTemplates[eventId]).Select(m => m.Groups[1].Value).Append("EventId").ToHashSet(StringComparer.Ordinal);

    private static EmittedTelemetry Collect()
    {
        var tagKeys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var tagValues = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var keys = tagKeys.TryGetValue(instrument.Name, out var k) ? k : tagKeys[instrument.Name] = new(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                keys.Add(tag.Key);
                (tagValues.TryGetValue(tag.Key, out var v) ? v : tagValues[tag.Key] = new(StringComparer.Ordinal)).Add(tag.Value?.ToString() ?? string.Empty);
            }
        }

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RefreshMetrics.MeterName)
            {
                tagKeys.TryAdd(instrument.Name, new(StringComparer.Ordinal));
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();

        var metrics = new RefreshMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        var reasons = typeof(RefreshReasons).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var failures = new HashSet<string>(StringComparer.Ordinal);
        foreach (var status in Enum.GetValues<RefreshStatus>())
        {
            foreach (var refreshed in new[] { true, false })
            {
                foreach (var reason in reasons)
                {
                    var outcome = new RefreshOutcome(status, refreshed, reason, "welkin-api-token", null);
                    foreach (var trigger in Enum.GetValues<RefreshTrigger>())
                    {
                        metrics.Record("default", trigger, outcome, TimeSpan.FromSeconds(1));
                    }

                    if (status is not (RefreshStatus.Succeeded or RefreshStatus.Throttled))
                    {
                        failures.Add(outcome.MetricOutcome);
                    }
                }
            }
        }

        metrics.ObserveExpiry("default", DateTimeOffset.UtcNow.AddHours(1));
        listener.RecordObservableInstruments();

        var templates = typeof(RefreshMetrics).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToDictionary(a => a.EventId, a => a.Message);

        return new EmittedTelemetry(tagKeys, tagValues, failures, templates);
    }

    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")]
    private static partial Regex Placeholder();
}
