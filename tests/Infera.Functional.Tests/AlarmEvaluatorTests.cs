using Infera.Core.Events;
using Infera.Core.Services;
using Infera.Gateway.Metrics;
using Infera.Server.Observability;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;

namespace Infera.Functional.Tests;

/// <summary>
/// Alarm evaluation over a real SQLite file with a clock the test sets: consecutive periods, minutes without data,
/// one event per transition, version rules, and stopped services.
/// </summary>
public sealed class AlarmEvaluatorTests : IDisposable
{
    private const long Minute = 60_000;
    private readonly string _path = Path.Combine(Path.GetTempPath(), "infera-alarm-" + Guid.NewGuid().ToString("N")[..8] + ".db");
    private readonly Clock _clock = new();
    private readonly InferaDatabase _database;
    private readonly ServiceStore _services;
    private readonly MetricsStore _metrics;
    private readonly AlarmStore _rules;
    private readonly EventStore _events;
    private readonly AlarmEvaluator _evaluator;
    private readonly long _t0;

    public AlarmEvaluatorTests()
    {
        _database = new InferaDatabase(_path);
        _services = new ServiceStore(_database);
        _metrics = new MetricsStore(_database);
        _rules = new AlarmStore(_database);
        _events = new EventStore(_database);
        _evaluator = new AlarmEvaluator(_rules, _metrics, new MetricsRecorder(new CallMetrics(_clock), _metrics), _services, _events, _clock);
        _t0 = CallMetrics.MinuteOf(_clock.GetUtcNow());
        Assert.True(_services.TryInsert(new ServiceRecord
        {
            Id = "s1", ProjectId = "p", DomainId = "d", OwnerId = "u", Name = "svc", Status = ServiceStatus.Running, DesiredState = ServiceStatus.Running, PublishAt = _t0,
            Config = [new ServiceConfigItem { ModelId = "m1", Weight = 50 }, new ServiceConfigItem { ModelId = "m2", Weight = 50 }],
        }));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private void Calls(int minute, string modelId, long total, long failed, double latencyMs = 10) =>
        _metrics.AddCalls([new MetricsStore.CallDelta("s1", modelId, _t0 + (minute * Minute), total, failed, total - failed, failed, 0, latencyMs * total)]);

    // Moves the clock into minute n (so minute n - 1 is the last completed one) and evaluates.
    private void EvaluateIn(int minute)
    {
        _clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(_t0 + (minute * Minute) + 1_000);
        _evaluator.EvaluateDue();
    }

    private void Rule(string name, string metric, string comparison, double threshold, int periods, string? modelId = null) =>
        Assert.True(_rules.Insert(new AlarmStore.AlarmRule(Guid.NewGuid().ToString(), "p", "s1", modelId, name, metric, comparison, threshold, periods,
            _t0, AlarmEvaluator.Ok, 0, 0, null)));

    private string State(string name) => _rules.ListByService("s1").Single(r => r.Name == name).State;

    private List<string> AlarmEvents() =>
        [.. _events.List("s1", null, null, null, 0, 1000, ascending: true).Page.Select(e => e.EventInfo).Where(e => e.StartsWith("Alarm", StringComparison.Ordinal))];

    [Fact]
    public void FiresAfterConsecutivePeriods_OnceEachWay_AndClearsOnTheFirstGoodMinute()
    {
        Rule("failing", MetricValues.FailedCalled, ">=", 2, periods: 3);
        Calls(0, "m1", 5, 2);
        Calls(1, "m1", 5, 1); // breaks the run
        Calls(2, "m1", 5, 2);
        Calls(3, "m1", 5, 3);
        Calls(4, "m2", 5, 2); // another version: the service rule sums them
        Calls(5, "m1", 5, 0);

        for (var minute = 1; minute <= 4; minute++)
        {
            EvaluateIn(minute);
            Assert.Equal("ok", State("failing"));
            Assert.False(_evaluator.IsFiring("s1"));
        }

        EvaluateIn(5); // minutes 2, 3, 4 held
        Assert.Equal("alarm", State("failing"));
        Assert.True(_evaluator.IsFiring("s1"));
        EvaluateIn(5); // the same minute is not evaluated twice
        EvaluateIn(6); // minute 5 had no failure
        Assert.Equal("ok", State("failing"));
        Assert.False(_evaluator.IsFiring("s1"));
        Assert.Equal(2, AlarmEvents().Count);
        Assert.StartsWith("Alarm failing triggered: failed_called_times >= 2 for 3 consecutive minute(s) on service svc (last value 2)", AlarmEvents()[0], StringComparison.Ordinal);
        Assert.StartsWith("Alarm failing cleared: failed_called_times is 0 on service svc", AlarmEvents()[1], StringComparison.Ordinal);
        Assert.Equal(EventRecord.Abnormal, _events.List("s1", null, null, null, 0, 1000, ascending: true).Page.Single(e => e.EventInfo.Contains("triggered", StringComparison.Ordinal)).EventType);
    }

    [Fact]
    public void VersionRule_WatchesOnlyItsVersion_AndMinutesWithoutDataDoNotHold()
    {
        Rule("slow-m2", MetricValues.AvgLatency, ">", 100, periods: 1, modelId: "m2");
        Rule("idle", MetricValues.TotalCalled, "<", 1, periods: 2, modelId: "m2");
        Calls(0, "m1", 3, 0, latencyMs: 500); // m1 is slow, m2 idle
        EvaluateIn(1);
        Assert.Equal("ok", State("slow-m2")); // no m2 calls: no latency, does not hold
        Assert.Equal("ok", State("idle")); // minute -1 is before the deploy: one idle minute of two
        EvaluateIn(2);
        Assert.Equal("alarm", State("idle")); // minutes 0 and 1 had no m2 call (counts are 0)
        Calls(2, "m2", 2, 0, latencyMs: 250);
        EvaluateIn(3);
        Assert.Equal("alarm", State("slow-m2"));
        Assert.Equal("ok", State("idle"));
        Assert.Equal(250, _rules.ListByService("s1").Single(r => r.Name == "slow-m2").LastValue);
    }

    [Fact]
    public void StoppedService_ClearsItsFiringRules_WithAnEvent()
    {
        Rule("any", MetricValues.TotalCalled, ">", 0, periods: 1);
        Calls(0, "m1", 1, 0);
        EvaluateIn(1);
        Assert.True(_evaluator.IsFiring("s1"));
        Assert.True(_services.UpdateStatus("s1", ServiceStatus.Running, ServiceStatus.Stopped, 0, ""));
        EvaluateIn(2);
        Assert.False(_evaluator.IsFiring("s1"));
        Assert.Equal("Alarm any cleared: service is stopped.", AlarmEvents()[^1]);
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
