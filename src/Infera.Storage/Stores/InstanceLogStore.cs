using Dapper;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>
/// The lines instances wrote on stdout/stderr (MISSION R-S12), with the time they were read (ms), the instance, its
/// service and model version. Searching is done by the caller over <see cref="Scan"/>; this store filters by service,
/// instance, version and time range only.
/// </summary>
public sealed class InstanceLogStore(InferaDatabase database)
{
    /// <summary>One stored line.</summary>
    /// <param name="Id">Row id (increasing in arrival order).</param>
    /// <param name="ServiceId">Service id.</param>
    /// <param name="ModelId">Model version id.</param>
    /// <param name="InstanceId">Instance id.</param>
    /// <param name="Ts">When the line was read, ms since the Unix epoch.</param>
    /// <param name="Stream"><c>stdout</c> or <c>stderr</c>.</param>
    /// <param name="Line">The text, without the line break.</param>
    public sealed record LogLine(long Id, string ServiceId, string ModelId, string InstanceId, long Ts, string Stream, string Line);

    /// <summary>Appends lines in one transaction (<see cref="LogLine.Id"/> is ignored).</summary>
    public void Append(IReadOnlyCollection<LogLine> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO instance_logs (service_id, model_id, instance_id, ts, stream, line) VALUES (@ServiceId, @ModelId, @InstanceId, @Ts, @Stream, @Line)", lines, tx);
        tx.Commit();
    }

    /// <summary>
    /// The lines of a service with <paramref name="from"/> ≤ ts ≤ <paramref name="to"/> (ms), optionally of one
    /// instance and/or version, in time order (<paramref name="descending"/>: newest first), streamed from the database.
    /// </summary>
    public IEnumerable<LogLine> Scan(string serviceId, string? instanceId, string? modelId, long from, long to, bool descending)
    {
        using var c = database.Open();
        var order = descending ? "DESC" : "ASC";
        var rows = c.Query<LogLine>(
            $"""
            SELECT id AS Id, service_id AS ServiceId, model_id AS ModelId, instance_id AS InstanceId, ts AS Ts, stream AS Stream, line AS Line
            FROM instance_logs WHERE service_id = @serviceId AND ts >= @from AND ts <= @to
                AND (@instanceId IS NULL OR instance_id = @instanceId) AND (@modelId IS NULL OR model_id = @modelId)
            ORDER BY ts {order}, id {order}
            """, new { serviceId, instanceId, modelId, from, to }, buffered: false);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <summary>
    /// Deletes lines older than <paramref name="cutoff"/> (ms), those of services that no longer exist, and the oldest
    /// lines of any service holding more than <paramref name="maxLinesPerService"/>.
    /// </summary>
    /// <returns>Lines deleted.</returns>
    public int Prune(long cutoff, int maxLinesPerService)
    {
        using var c = database.Open();
        var deleted = c.Execute("DELETE FROM instance_logs WHERE ts < @cutoff OR service_id NOT IN (SELECT id FROM services)", new { cutoff });
        foreach (var serviceId in c.Query<string>("SELECT service_id FROM instance_logs GROUP BY service_id HAVING COUNT(*) > @maxLinesPerService", new { maxLinesPerService }).AsList())
        {
            deleted += c.Execute(
                """
                DELETE FROM instance_logs WHERE service_id = @serviceId AND id <= (SELECT id FROM instance_logs WHERE service_id = @serviceId ORDER BY id DESC LIMIT 1 OFFSET @maxLinesPerService)
                """, new { serviceId, maxLinesPerService });
        }

        return deleted;
    }
}
