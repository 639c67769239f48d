using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Infera.Gateway.Metrics;
using Infera.Runtime.Processes;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// Samples the CPU and memory of every live instance from <c>/proc</c> (MISSION R-S13 <c>cpu_usage</c>,
/// <c>mem_usage</c>): an instance is its process and every descendant (a custom engine's shell and its program, a
/// worker's children). CPU is <c>utime + stime</c> (field 14 + 15 of <c>/proc/&lt;pid&gt;/stat</c>, in USER_HZ =
/// 100 ticks per second, fixed by the Linux ABI) divided by the wall time since the previous sample, in cores
/// (1.0 = one core fully busy); memory is the resident set (field 24, pages); disk traffic is <c>read_bytes</c> and
/// <c>write_bytes</c> of <c>/proc/&lt;pid&gt;/io</c> (storage I/O, not the page cache). Each sample adds, per model version,
/// the sums over its instances to the minute's row of <see cref="MetricsStore"/>. The first sample of an instance
/// only primes its CPU counter.
/// </summary>
public sealed class ResourceSampler(InstanceTelemetry telemetry, MetricsStore store, TimeProvider time)
{
    private const double TicksPerSecond = 100;
    private readonly ConcurrentDictionary<string, (long Ticks, long Read, long Written, long At)> _previous = new();
    private readonly ConcurrentDictionary<string, InstanceUsage> _latest = new();
    private readonly Lock _sync = new();

    /// <summary>The last measured usage of one instance.</summary>
    /// <param name="Spec">The instance.</param>
    /// <param name="CpuCores">Cores used over the last sampling interval.</param>
    /// <param name="MemoryBytes">Resident memory, bytes.</param>
    /// <param name="At">When measured (injected clock).</param>
    public sealed record InstanceUsage(InstanceSpec Spec, double CpuCores, long MemoryBytes, DateTimeOffset At);

    /// <summary>The latest usage of each live instance (instances sampled at least twice).</summary>
    public IReadOnlyCollection<InstanceUsage> Latest => [.. _latest.Values];

    /// <summary>Physical memory of this node in bytes (<c>MemTotal</c> of <c>/proc/meminfo</c>), 0 when unknown.</summary>
    public static long NodeMemoryBytes { get; } = ReadMemTotal();

    /// <summary>Samples every live instance now and records the sums per version for the current minute.</summary>
    public void SampleNow()
    {
        lock (_sync)
        {
            var live = telemetry.LiveProcesses;
            var liveIds = live.Select(p => p.Spec.InstanceId).ToHashSet();
            foreach (var gone in _previous.Keys.Where(k => !liveIds.Contains(k)).ToList())
            {
                _previous.TryRemove(gone, out _);
                _latest.TryRemove(gone, out _);
            }

            if (live.Count == 0)
            {
                return;
            }

            var table = ReadProcessTable();
            var now = Stopwatch.GetTimestamp();
            var at = time.GetUtcNow();
            var minute = CallMetrics.MinuteOf(at);
            var sums = new Dictionary<(string ServiceId, string ModelId), (double Cpu, double Memory, int Count, double Read, double Written)>();
            foreach (var process in live)
            {
                var (ticks, pages, members) = TreeUsage(table, process.Pid);
                if (ticks < 0)
                {
                    continue;
                }

                var (read, written) = TreeIo(members);
                var id = process.Spec.InstanceId;
                var memory = pages * Environment.SystemPageSize;
                if (_previous.TryGetValue(id, out var previous))
                {
                    var seconds = Stopwatch.GetElapsedTime(previous.At, now).TotalSeconds;
                    var cores = seconds <= 0 ? 0 : Math.Max(0, ticks - previous.Ticks) / TicksPerSecond / seconds;
                    _latest[id] = new InstanceUsage(process.Spec, cores, memory, at);
                    var key = (process.Spec.ServiceId, process.Spec.ModelId);
                    var sum = sums.GetValueOrDefault(key);
                    // A child that ended takes its counters with it: a negative delta counts as none.
                    sums[key] = (sum.Cpu + cores, sum.Memory + memory, sum.Count + 1, sum.Read + Math.Max(0, read - previous.Read),
                        sum.Written + Math.Max(0, written - previous.Written));
                }

                _previous[id] = (ticks, read, written, now);
            }

            store.AddSamples([.. sums.Select(s => new MetricsStore.ResourceSample(s.Key.ServiceId, s.Key.ModelId, minute, s.Value.Cpu, s.Value.Memory, s.Value.Count,
                s.Value.Read, s.Value.Written))]);
        }
    }

    // pid → (ppid, utime + stime, rss pages) of every process we may read.
    private static Dictionary<int, (int Parent, long Ticks, long Pages)> ReadProcessTable()
    {
        var table = new Dictionary<int, (int, long, long)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // The command name (field 2) is in parentheses and may hold spaces; fields restart after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // fields[0] is field 3 (state): ppid = field 4, utime = 14, stime = 15, rss = 24.
                if (fields.Length > 21)
                {
                    table[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture),
                        long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture),
                        long.Parse(fields[21], CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
            {
                // The process ended while we read it.
            }
        }

        return table;
    }

    // Sums the process and its descendants; ticks -1 when the process is gone.
    private static (long Ticks, long Pages, HashSet<int> Members) TreeUsage(Dictionary<int, (int Parent, long Ticks, long Pages)> table, int root)
    {
        if (!table.TryGetValue(root, out var own))
        {
            return (-1, 0, []);
        }

        long ticks = own.Ticks, pages = own.Pages;
        var members = new HashSet<int> { root };
        bool added;
        do
        {
            added = false;
            foreach (var (pid, entry) in table)
            {
                if (!members.Contains(pid) && members.Contains(entry.Parent))
                {
                    members.Add(pid);
                    ticks += entry.Ticks;
                    pages += entry.Pages;
                    added = true;
                }
            }
        }
        while (added);

        return (ticks, pages, members);
    }

    // Storage bytes read and written (read_bytes, write_bytes of /proc/<pid>/io) summed over the processes.
    private static (long Read, long Written) TreeIo(IEnumerable<int> members)
    {
        long read = 0, written = 0;
        foreach (var pid in members)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/io"))
                {
                    if (line.StartsWith("read_bytes: ", StringComparison.Ordinal))
                    {
                        read += long.Parse(line.AsSpan("read_bytes: ".Length), CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("write_bytes: ", StringComparison.Ordinal))
                    {
                        written += long.Parse(line.AsSpan("write_bytes: ".Length), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
            {
                // Ended meanwhile, or not ours to read.
            }
        }

        return (read, written);
    }

    private static long ReadMemTotal()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return 0;
    }
}
