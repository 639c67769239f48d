using System.Collections.Concurrent;
using Infera.Core.Events;
using Infera.Storage.Stores;

namespace Infera.Server.Hosting;

/// <summary>
/// Events about the server itself (resource id <see cref="ResourceId"/>): a background loop that starts failing, and
/// its recovery. They are most often written while the metadata store is the fault, so an event that cannot be
/// written is kept in memory (at most <see cref="MaxPending"/>, oldest dropped first) with its original time and
/// written at the next chance. Served by <c>GET /v1/{project_id}/server/events</c> to system administrators.
/// </summary>
public sealed class ServerEvents(EventStore events, TimeProvider time)
{
    /// <summary>The resource id of server events in the events table.</summary>
    public const string ResourceId = "server";

    /// <summary>Most events kept while the store cannot take them.</summary>
    public const int MaxPending = 1000;

    private readonly ConcurrentQueue<EventRecord> _pending = new();
    private readonly Lock _flush = new();

    /// <summary>Records an event now, or keeps it for <see cref="Flush"/> when the store fails.</summary>
    /// <param name="type"><see cref="EventRecord.Normal"/> or <see cref="EventRecord.Abnormal"/>.</param>
    /// <param name="info">One sentence.</param>
    public void Add(string type, string info)
    {
        _pending.Enqueue(new EventRecord(ResourceId, type, info, time.GetUtcNow().ToUnixTimeMilliseconds()));
        while (_pending.Count > MaxPending && _pending.TryDequeue(out _))
        {
        }

        Flush();
    }

    /// <summary>Writes the kept events in order; stops quietly at the first that the store refuses (kept for later).</summary>
    /// <returns>True when nothing is left to write.</returns>
    public bool Flush()
    {
        lock (_flush)
        {
            while (_pending.TryPeek(out var next))
            {
                try
                {
                    events.Add(next);
                }
                catch (Exception)
                {
                    // Kept for the next flush: the store is the fault more often than not.
                    return false;
                }

                _pending.TryDequeue(out _);
            }

            return true;
        }
    }
}
