using Infera.Server.Hosting;
using Infera.Server.Hosting.Background;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Infera.Server.Tests.Hosting.Background;

/// <summary>The runner on a real SQLite file: a failing tick never ends the loop; it backs off, is reported, and recovers.</summary>
public sealed class BackgroundLoopRunnerTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("infera-loops-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task WaitUntilAsync(Func<bool> condition, FakeTimeProvider time)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true");
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Run_TickFailsUntilTheFaultClears_ReportsFailingThenRecoversAndWritesBothServerEvents()
    {
        var events = new EventStore(new InferaDatabase(Path.Combine(_folder, "infera.db")));
        var registry = new LoopHealthRegistry(_time);
        var runner = new BackgroundLoopRunner(registry, new BackgroundLoopOptions { UseJitter = false }, new ServerEvents(events, _time), _time,
            NullLogger<BackgroundLoopRunner>.Instance);
        var faulty = true;
        var ticks = 0;
        using var stop = new CancellationTokenSource();
        var loop = runner.RunAsync(new BackgroundLoop
        {
            Name = "test-loop",
            Tick = BackgroundLoop.Sync(() =>
            {
                Interlocked.Increment(ref ticks);
                if (Volatile.Read(ref faulty))
                {
                    throw new IOException("database is locked");
                }
            }),
        }, stop.Token);

        await WaitUntilAsync(() => registry.Snapshot()[0] is { State: LoopState.Failing, ConsecutiveFailures: >= 3 }, _time);
        Assert.False(loop.IsCompleted);
        Volatile.Write(ref faulty, false);
        await WaitUntilAsync(() => registry.Snapshot()[0].State == LoopState.Healthy, _time);
        var ticksAfterRecovery = Volatile.Read(ref ticks);
        await WaitUntilAsync(() => Volatile.Read(ref ticks) > ticksAfterRecovery, _time);
        await stop.CancelAsync();
        await loop.WaitAsync(Limit);

        var (page, _) = events.List(ServerEvents.ResourceId, null, null, null, 0, 10, ascending: true);
        Assert.Collection(page,
            e => Assert.Equal("abnormal", e.EventType),
            e =>
            {
                Assert.Equal("normal", e.EventType);
                Assert.StartsWith("Background loop test-loop recovered after", e.EventInfo, StringComparison.Ordinal);
            });
        Assert.Contains("IOException: database is locked", page[0].EventInfo, StringComparison.Ordinal);
        Assert.Equal(LoopState.Stopped, registry.Snapshot()[0].State);
    }

    [Fact]
    public async Task Run_StartStepFails_IsRetriedBeforeTheFirstTick()
    {
        var registry = new LoopHealthRegistry(_time);
        var runner = new BackgroundLoopRunner(registry, new BackgroundLoopOptions { UseJitter = false },
            new ServerEvents(new EventStore(new InferaDatabase(Path.Combine(_folder, "infera.db"))), _time), _time, NullLogger<BackgroundLoopRunner>.Instance);
        var starts = 0;
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var loop = runner.RunAsync(new BackgroundLoop
        {
            Name = "starting",
            Start = BackgroundLoop.Sync(() =>
            {
                if (++starts < 3)
                {
                    throw new InvalidOperationException("not yet");
                }
            }),
            Tick = BackgroundLoop.Sync(() => ticked.TrySetResult()),
        }, stop.Token);

        await WaitUntilAsync(() => ticked.Task.IsCompleted, _time);
        await stop.CancelAsync();
        await loop.WaitAsync(Limit);

        Assert.Equal(3, starts);
    }
}
