using System.Collections.Concurrent;
using Infera.Runtime.Processes;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// The <see cref="IInstanceObserver"/> set on every instance spec: keeps the set of live instance processes (for
/// CPU/memory sampling) and queues each output line, stamped on the injected clock, for <see cref="InstanceLogStore"/>
/// (MISSION R-S12). Lines are written in batches by <see cref="FlushLogs"/> (every second, at shutdown and before
/// every log query). A line longer than <see cref="MaxLineLength"/> characters is cut there; when more than
/// <see cref="MaxQueuedLines"/> lines wait (an instance writing faster than SQLite takes them), further lines are
/// dropped and counted in <see cref="DroppedLines"/> (they stay in the instance's <c>instance.log</c> file).
/// </summary>
public sealed class InstanceTelemetry(InstanceLogStore logs, TimeProvider time) : IInstanceObserver
{
    /// <summary>Longest stored line, in characters.</summary>
    public const int MaxLineLength = 16 * 1024;

    /// <summary>Most lines waiting to be written.</summary>
    public const int MaxQueuedLines = 200_000;

    private readonly ConcurrentDictionary<string, InstanceProcess> _live = new();
    private readonly ConcurrentQueue<InstanceLogStore.LogLine> _queue = new();
    private readonly Lock _flush = new();
    private List<InstanceLogStore.LogLine>? _unwritten;
    private int _queued;
    private long _dropped;

    /// <summary>Lines not stored because the queue was full.</summary>
    public long DroppedLines => Interlocked.Read(ref _dropped);

    /// <summary>The instance processes running now.</summary>
    public IReadOnlyCollection<InstanceProcess> LiveProcesses => [.. _live.Values];

    /// <inheritdoc />
    public void Started(InstanceProcess process) => _live[process.Spec.InstanceId] = process;

    /// <inheritdoc />
    public void Exited(InstanceProcess process) => _live.TryRemove(new KeyValuePair<string, InstanceProcess>(process.Spec.InstanceId, process));

    /// <inheritdoc />
    public void Output(InstanceSpec spec, string stream, string line)
    {
        if (Interlocked.Increment(ref _queued) > MaxQueuedLines)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }

        var text = line.Length > MaxLineLength ? line[..MaxLineLength] : line;
        _queue.Enqueue(new InstanceLogStore.LogLine(0, spec.ServiceId, spec.ModelId, spec.InstanceId, time.GetUtcNow().ToUnixTimeMilliseconds(), stream, text));
    }

    /// <summary>
    /// Writes the queued lines (one transaction per 5,000 lines), in arrival order. When the store refuses a batch it
    /// is kept and written first by the next flush; lines keep queuing (up to <see cref="MaxQueuedLines"/>) meanwhile.
    /// </summary>
    public void FlushLogs()
    {
        lock (_flush)
        {
            // A batch the store refused is written first next time (it still counts against the queue bound meanwhile).
            if (_unwritten is { } retry)
            {
                logs.Append(retry);
                _unwritten = null;
                Interlocked.Add(ref _queued, -retry.Count);
            }

            while (!_queue.IsEmpty)
            {
                var batch = new List<InstanceLogStore.LogLine>(Math.Min(5000, _queue.Count));
                while (batch.Count < 5000 && _queue.TryDequeue(out var line))
                {
                    batch.Add(line);
                }

                _unwritten = batch;
                logs.Append(batch);
                _unwritten = null;
                Interlocked.Add(ref _queued, -batch.Count);
            }
        }
    }
}
