using System.Collections.Concurrent;

namespace Infera.Server.Hosting.Background;

/// <summary>
/// The health of every background loop, written by <see cref="BackgroundLoopRunner"/> and read by the readiness check.
/// A loop is failing from its first failed attempt until a tick succeeds, stalled when it neither succeeded nor failed
/// within its stall limit, and stopped when it ended.
/// </summary>
public sealed class LoopHealthRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _loops = new(StringComparer.Ordinal);

    /// <summary>A run of failures that ended with a success.</summary>
    /// <param name="Failures">Failed attempts in the run.</param>
    /// <param name="Duration">From the first failure to the success.</param>
    public sealed record Recovery(int Failures, TimeSpan Duration);

    /// <summary>Adds (or resets) a loop; <paramref name="stallAfter"/> null means it is never reported stalled.</summary>
    public void Register(string name, TimeSpan? stallAfter) =>
        _loops[name] = new Entry(stallAfter, time.GetUtcNow());

    /// <summary>Records a successful tick; returns the run of failures it ends, or null when the previous tick succeeded too.</summary>
    public Recovery? Succeeded(string name)
    {
        var entry = Get(name);
        lock (entry)
        {
            var now = time.GetUtcNow();
            var recovery = entry.FailingSince is { } since ? new Recovery(entry.Failures, now - since) : null;
            entry.LastSuccess = now;
            entry.FailingSince = null;
            entry.Failures = 0;
            entry.LastError = null;
            entry.NextRetryAt = null;
            return recovery;
        }
    }

    /// <summary>Records a failed attempt; returns true when it starts a run of failures (the previous attempt succeeded).</summary>
    public bool Failed(string name, Exception exception, TimeSpan retryDelay)
    {
        var entry = Get(name);
        lock (entry)
        {
            var now = time.GetUtcNow();
            var first = entry.FailingSince is null;
            entry.FailingSince ??= now;
            entry.Failures++;
            entry.LastError = Describe(exception);
            entry.NextRetryAt = now + retryDelay;
            return first;
        }
    }

    /// <summary>Records that the loop ended; <paramref name="error"/> says why when it was not a shutdown.</summary>
    public void Stopped(string name, string? error)
    {
        var entry = Get(name);
        lock (entry)
        {
            entry.Stopped = true;
            entry.LastError = error ?? entry.LastError;
        }
    }

    /// <summary>The health of every registered loop, by name.</summary>
    public IReadOnlyList<LoopHealth> Snapshot()
    {
        var now = time.GetUtcNow();
        return [.. _loops.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToHealth(p.Key, now))];
    }

    /// <summary>One line naming an exception: its type and message, and those of its innermost cause when different.</summary>
    public static string Describe(Exception exception)
    {
        var root = exception;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        var text = $"{exception.GetType().Name}: {exception.Message}";
        return ReferenceEquals(root, exception) || root.Message == exception.Message ? text : $"{text} ({root.GetType().Name}: {root.Message})";
    }

    private Entry Get(string name) => _loops.GetOrAdd(name, _ => new Entry(null, time.GetUtcNow()));

    private sealed class Entry(TimeSpan? stallAfter, DateTimeOffset registered)
    {
        public DateTimeOffset? LastSuccess { get; set; }

        public DateTimeOffset? FailingSince { get; set; }

        public int Failures { get; set; }

        public string? LastError { get; set; }

        public DateTimeOffset? NextRetryAt { get; set; }

        public bool Stopped { get; set; }

        public LoopHealth ToHealth(string name, DateTimeOffset now)
        {
            lock (this)
            {
                var state = Stopped ? LoopState.Stopped
                    : FailingSince is not null ? LoopState.Failing
                    : stallAfter is { } limit && now - (LastSuccess ?? registered) > limit ? LoopState.Stalled
                    : LastSuccess is null ? LoopState.Starting
                    : LoopState.Healthy;
                return new LoopHealth(name, state, LastSuccess, FailingSince, Failures, LastError, NextRetryAt);
            }
        }
    }
}
