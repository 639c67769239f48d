using Dapper;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>Alarm rules on a service or one of its model versions (MISSION R-S13, seed 003 §5.2) and their state.</summary>
public sealed class AlarmStore(InferaDatabase database)
{
    /// <summary>A rule and its evaluation state.</summary>
    /// <param name="Id">Rule id (UUID).</param>
    /// <param name="ProjectId">Project of the service.</param>
    /// <param name="ServiceId">Service watched.</param>
    /// <param name="ModelId">Model version watched, or null for the whole service.</param>
    /// <param name="Name">Rule name, unique per service.</param>
    /// <param name="Metric">Metric id of seed 003 table 5-1 (e.g. <c>req_count_5xx</c>, <c>avg_latency</c>).</param>
    /// <param name="Comparison"><c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c> or <c>&lt;=</c>.</param>
    /// <param name="Threshold">Value compared with the metric of each minute.</param>
    /// <param name="Periods">Consecutive minutes the condition must hold to fire.</param>
    /// <param name="CreatedAt">ms since the epoch.</param>
    /// <param name="State"><c>ok</c> or <c>alarm</c>.</param>
    /// <param name="StateChangedAt">When the state last changed, ms (0 = never).</param>
    /// <param name="EvaluatedMinute">The last minute (start, ms) the rule was evaluated on.</param>
    /// <param name="LastValue">The metric value of that minute, null when the minute had no data.</param>
    public sealed record AlarmRule(string Id, string ProjectId, string ServiceId, string? ModelId, string Name, string Metric, string Comparison,
        double Threshold, long Periods, long CreatedAt, string State, long StateChangedAt, long EvaluatedMinute, double? LastValue);

    /// <summary>Adds a rule; false when the service already has a rule of that name.</summary>
    public bool Insert(AlarmRule rule)
    {
        using var c = database.Open();
        return c.Execute(
            """
            INSERT OR IGNORE INTO alarm_rules (id, project_id, service_id, model_id, name, metric, comparison, threshold, periods, created_at,
                state, state_changed_at, evaluated_minute, last_value)
            VALUES (@Id, @ProjectId, @ServiceId, @ModelId, @Name, @Metric, @Comparison, @Threshold, @Periods, @CreatedAt,
                @State, @StateChangedAt, @EvaluatedMinute, @LastValue)
            """, rule) == 1;
    }

    /// <summary>The rules of one service, oldest first.</summary>
    public IReadOnlyList<AlarmRule> ListByService(string serviceId)
    {
        using var c = database.Open();
        return c.Query<AlarmRule>($"SELECT {Columns} FROM alarm_rules WHERE service_id = @serviceId ORDER BY created_at, id", new { serviceId }).AsList();
    }

    /// <summary>Every rule of services that still exist.</summary>
    public IReadOnlyList<AlarmRule> ListAll()
    {
        using var c = database.Open();
        return c.Query<AlarmRule>($"SELECT {Columns} FROM alarm_rules WHERE service_id IN (SELECT id FROM services) ORDER BY created_at, id").AsList();
    }

    /// <summary>Records an evaluation: the state, when it changed, the minute evaluated and its value.</summary>
    public void UpdateState(string id, string state, long stateChangedAt, long evaluatedMinute, double? lastValue)
    {
        using var c = database.Open();
        c.Execute("UPDATE alarm_rules SET state = @state, state_changed_at = @stateChangedAt, evaluated_minute = @evaluatedMinute, last_value = @lastValue WHERE id = @id",
            new { id, state, stateChangedAt, evaluatedMinute, lastValue });
    }

    /// <summary>Deletes a rule of a service; false when there is none with that id.</summary>
    public bool Delete(string serviceId, string id)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM alarm_rules WHERE service_id = @serviceId AND id = @id", new { serviceId, id }) == 1;
    }

    /// <summary>Deletes the rules of services that no longer exist.</summary>
    /// <returns>Rules deleted.</returns>
    public int PruneOrphans()
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM alarm_rules WHERE service_id NOT IN (SELECT id FROM services)");
    }

    private const string Columns =
        "id AS Id, project_id AS ProjectId, service_id AS ServiceId, model_id AS ModelId, name AS Name, metric AS Metric, comparison AS Comparison, " +
        "threshold AS Threshold, periods AS Periods, created_at AS CreatedAt, state AS State, state_changed_at AS StateChangedAt, " +
        "evaluated_minute AS EvaluatedMinute, last_value AS LastValue";
}
