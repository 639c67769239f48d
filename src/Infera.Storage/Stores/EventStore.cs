using Dapper;
using Infera.Core.Events;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>Events of models and services (seed 003 §2.6, §3.5), newest last.</summary>
public sealed class EventStore(InferaDatabase database)
{
    /// <summary>Appends an event.</summary>
    public void Add(EventRecord record)
    {
        using var c = database.Open();
        c.Execute("INSERT INTO events (resource_id, event_type, event_info, occur_time) VALUES (@ResourceId, @EventType, @EventInfo, @OccurTime)", record);
    }

    /// <summary>
    /// Lists events of one resource. <paramref name="eventType"/> filters normal/abnormal; times are ms bounds
    /// (inclusive); <paramref name="ascending"/> orders by time; <paramref name="eventInfo"/> keeps events whose
    /// text contains it (ASCII case ignored). Returns the page and the total match count.
    /// </summary>
    public (IReadOnlyList<EventRecord> Page, int Total) List(string resourceId, string? eventType, long? startTime, long? endTime, int offset, int limit, bool ascending,
        string? eventInfo = null)
    {
        using var c = database.Open();
        var where = "resource_id = @resourceId AND (@eventType IS NULL OR event_type = @eventType) AND (@startTime IS NULL OR occur_time >= @startTime) " +
            "AND (@endTime IS NULL OR occur_time <= @endTime) AND (@eventInfo IS NULL OR instr(lower(event_info), lower(@eventInfo)) > 0)";
        var args = new { resourceId, eventType, startTime, endTime, offset, limit, eventInfo };
        var total = c.ExecuteScalar<int>($"SELECT COUNT(*) FROM events WHERE {where}", args);
        var order = ascending ? "ASC" : "DESC";
        var page = c.Query<EventRecord>(
            $"SELECT resource_id AS ResourceId, event_type AS EventType, event_info AS EventInfo, occur_time AS OccurTime FROM events WHERE {where} ORDER BY occur_time {order}, id {order} LIMIT @limit OFFSET @offset", args).AsList();
        return (page, total);
    }

    /// <summary>
    /// Deletes the events older than <paramref name="cutoff"/> (ms since the Unix epoch) of the resources listed in
    /// <paramref name="table"/> (<c>models</c> or <c>services</c>).
    /// </summary>
    /// <param name="table"><c>models</c> or <c>services</c>.</param>
    /// <param name="cutoff">Events with an earlier <c>occur_time</c> go.</param>
    /// <returns>The number of events deleted.</returns>
    /// <exception cref="ArgumentException">For another table name.</exception>
    public int PruneOlderThan(string table, long cutoff)
    {
        if (table is not ("models" or "services"))
        {
            throw new ArgumentException($"Events are kept per models or services, not {table}.", nameof(table));
        }

        using var c = database.Open();
        return c.Execute($"DELETE FROM events WHERE occur_time < @cutoff AND resource_id IN (SELECT id FROM {table})", new { cutoff });
    }

    /// <summary>Deletes the events of one resource older than <paramref name="cutoff"/> (ms since the Unix epoch); returns how many.</summary>
    public int PruneResource(string resourceId, long cutoff)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM events WHERE resource_id = @resourceId AND occur_time < @cutoff", new { resourceId, cutoff });
    }

    /// <summary>Deletes every event of a resource.</summary>
    public void DeleteFor(string resourceId)
    {
        using var c = database.Open();
        c.Execute("DELETE FROM events WHERE resource_id = @resourceId", new { resourceId });
    }
}
