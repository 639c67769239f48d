using System.Collections.Concurrent;
using System.Globalization;
using Infera.Core.Events;
using Infera.Core.Services;
using Infera.Gateway.Metrics;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>What the reconciler asks when it decides between <c>running</c> and <c>concerning</c> (MISSION R-S2).</summary>
public interface IAlarmState
{
    /// <summary>True while at least one alarm rule of the service fires.</summary>
    bool IsFiring(string serviceId);
}

/// <summary>
/// Evaluates alarm rules (MISSION R-S13, seed 003 §5.2) once per completed minute on the injected clock. A rule
/// fires when its metric compared with its threshold holds in each of its last <c>periods</c> completed minutes (a
/// minute without data for the metric, e.g. latency without calls or a minute before the service was deployed, does
/// not hold; call counts of a minute without calls are 0), and clears as soon as the latest
/// completed minute does not hold. Firing writes an abnormal service event "Alarm {name} triggered: …" and keeps the
/// service <c>concerning</c> (through <see cref="IAlarmState"/>, which the reconciler consults); clearing writes a
/// normal event "Alarm {name} cleared: …". Only running or concerning services are evaluated; a firing rule of a
/// service that stopped is cleared with an event.
/// </summary>
public sealed class AlarmEvaluator(AlarmStore rules, MetricsStore metrics, MetricsRecorder recorder, ServiceStore services, EventStore events, TimeProvider time) : IAlarmState
{
    /// <summary>Rule state while it fires.</summary>
    public const string Firing = "alarm";

    /// <summary>Rule state while it does not fire.</summary>
    public const string Ok = "ok";

    private const long MinuteMs = 60_000;
    private readonly Lock _sync = new();
    private ConcurrentDictionary<string, int>? _firing;

    /// <inheritdoc />
    public bool IsFiring(string serviceId) => Firing_().TryGetValue(serviceId, out var count) && count > 0;

    /// <summary>Re-reads which services have firing rules (after a rule was created or deleted).</summary>
    public void Refresh()
    {
        lock (_sync)
        {
            _firing = Load();
        }
    }

    /// <summary>Evaluates every rule whose latest completed minute was not evaluated yet.</summary>
    public void EvaluateDue()
    {
        lock (_sync)
        {
            recorder.Flush();
            var lastComplete = CallMetrics.MinuteOf(time.GetUtcNow()) - MinuteMs;
            var all = rules.ListAll();
            var statuses = new Dictionary<string, ServiceRecord?>();
            foreach (var rule in all.Where(r => r.EvaluatedMinute < lastComplete))
            {
                if (!statuses.TryGetValue(rule.ServiceId, out var service))
                {
                    service = services.FindAny(rule.ServiceId);
                    statuses[rule.ServiceId] = service;
                }

                Evaluate(rule, service, lastComplete);
            }

            _firing = Load();
        }
    }

    private void Evaluate(AlarmStore.AlarmRule rule, ServiceRecord? service, long lastComplete)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (service is null || service.Status is not (ServiceStatus.Running or ServiceStatus.Concerning))
        {
            if (rule.State == Firing && service is not null)
            {
                events.Add(new EventRecord(rule.ServiceId, EventRecord.Normal, $"Alarm {rule.Name} cleared: service is {service.Status}.", now));
            }

            rules.UpdateState(rule.Id, Ok, rule.State == Firing ? now : rule.StateChangedAt, lastComplete, null);
            return;
        }

        var from = lastComplete - ((rule.Periods - 1) * MinuteMs);
        var byMinute = MetricValues.ByMinute(metrics.Query(rule.ServiceId, rule.ModelId, from, lastComplete)).ToDictionary(m => m.Start);
        var values = new List<double?>();
        // Minutes before the service was deployed have no data (an idle rule must not fire on them).
        var firstMinute = CallMetrics.MinuteOf(DateTimeOffset.FromUnixTimeMilliseconds(service.PublishAt));
        for (var minute = from; minute <= lastComplete; minute += MinuteMs)
        {
            values.Add(minute < firstMinute ? null : MetricValues.Value(rule.Metric, byMinute.GetValueOrDefault(minute) ?? MetricValues.Minute.Empty(minute)));
        }

        var latest = values[^1];
        var holds = values.All(v => v is { } x && Holds(rule.Comparison, x, rule.Threshold));
        var latestHolds = latest is { } l && Holds(rule.Comparison, l, rule.Threshold);
        var state = rule.State;
        var changedAt = rule.StateChangedAt;
        var target = rule.ModelId is null ? $"service {service.Name}" : $"model version {rule.ModelId} of service {service.Name}";
        if (rule.State != Firing && holds)
        {
            state = Firing;
            changedAt = now;
            events.Add(new EventRecord(rule.ServiceId, EventRecord.Abnormal,
                $"Alarm {rule.Name} triggered: {rule.Metric} {rule.Comparison} {Format(rule.Threshold)} for {rule.Periods} consecutive minute(s) on {target} " +
                $"(last value {Format(latest)}); the service is concerning until it clears.", now));
        }
        else if (rule.State == Firing && !latestHolds)
        {
            state = Ok;
            changedAt = now;
            events.Add(new EventRecord(rule.ServiceId, EventRecord.Normal,
                $"Alarm {rule.Name} cleared: {rule.Metric} is {Format(latest)} on {target} ({rule.Comparison} {Format(rule.Threshold)} no longer holds).", now));
        }

        rules.UpdateState(rule.Id, state, changedAt, lastComplete, latest);
    }

    /// <summary>Whether <paramref name="value"/> <paramref name="comparison"/> <paramref name="threshold"/> holds.</summary>
    /// <exception cref="ArgumentException">For a comparison other than <c>&gt; &gt;= &lt; &lt;=</c>.</exception>
    public static bool Holds(string comparison, double value, double threshold) => comparison switch
    {
        ">" => value > threshold,
        ">=" => value >= threshold,
        "<" => value < threshold,
        "<=" => value <= threshold,
        _ => throw new ArgumentException($"Unknown comparison {comparison}.", nameof(comparison)),
    };

    private static string Format(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "no data";

    private ConcurrentDictionary<string, int> Firing_()
    {
        var firing = _firing;
        if (firing is not null)
        {
            return firing;
        }

        lock (_sync)
        {
            return _firing ??= Load();
        }
    }

    private ConcurrentDictionary<string, int> Load() =>
        new(rules.ListAll().Where(r => r.State == Firing).GroupBy(r => r.ServiceId).ToDictionary(g => g.Key, g => g.Count()));
}
