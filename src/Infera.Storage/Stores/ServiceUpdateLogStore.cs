using System.Text.Json;
using Dapper;
using Infera.Core.Services;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>
/// The configuration update history of services (seed 003 §3.3 "配置更新记录", served by spec §3.7
/// <c>GET …/services/{id}/logs</c>): one row per applied configuration, with when, who and the result.
/// </summary>
public sealed class ServiceUpdateLogStore(InferaDatabase database)
{
    private static readonly JsonSerializerOptions ConfigJson = new(JsonSerializerDefaults.Web);

    /// <summary>Result of an update still rolling out.</summary>
    public const string Running = "RUNNING";

    /// <summary>Result of an update that was applied.</summary>
    public const string Success = "SUCCESS";

    /// <summary>Result of an update that failed (and was rolled back).</summary>
    public const string Fail = "FAIL";

    /// <summary>One history entry.</summary>
    /// <param name="Id">Row id (increasing).</param>
    /// <param name="ServiceId">The service.</param>
    /// <param name="UpdateTime">When the configuration was submitted, ms since the epoch.</param>
    /// <param name="Result"><see cref="Running"/>, <see cref="Success"/> or <see cref="Fail"/>.</param>
    /// <param name="Config">The configuration submitted.</param>
    /// <param name="Operator">Name of the user who submitted it (or <c>system</c>).</param>
    /// <param name="Detail">Why it failed or how it was applied (e.g. <c>deploy</c>, <c>rolling update</c>).</param>
    /// <param name="FinishedAt">When the result became final, ms, or null while running.</param>
    public sealed record Entry(long Id, string ServiceId, long UpdateTime, string Result, IReadOnlyList<ServiceConfigItem> Config, string Operator,
        string Detail, long? FinishedAt);

    /// <summary>Records a configuration; returns the entry id.</summary>
    public long Add(string serviceId, long updateTime, string result, IReadOnlyList<ServiceConfigItem> config, string @operator, string detail)
    {
        using var c = database.Open();
        return c.ExecuteScalar<long>(
            """
            INSERT INTO service_update_logs (service_id, update_time, result, config_json, operator, detail, finished_at)
            VALUES (@serviceId, @updateTime, @result, @configJson, @operator, @detail, CASE WHEN @result = 'RUNNING' THEN NULL ELSE @updateTime END);
            SELECT last_insert_rowid();
            """, new { serviceId, updateTime, result, configJson = JsonSerializer.Serialize(config, ConfigJson), @operator, detail });
    }

    /// <summary>Sets the final result of the service's running entries (there is at most one).</summary>
    public void FinishRunning(string serviceId, string result, string detail, long finishedAt)
    {
        using var c = database.Open();
        c.Execute(
            "UPDATE service_update_logs SET result = @result, detail = @detail, finished_at = @finishedAt WHERE service_id = @serviceId AND result = 'RUNNING'",
            new { serviceId, result, detail, finishedAt });
    }

    /// <summary>The history of a service, newest first; with <paramref name="updateTime"/>, only that entry's time.</summary>
    public IReadOnlyList<Entry> List(string serviceId, long? updateTime = null)
    {
        using var c = database.Open();
        return c.Query<Row>(
                """
                SELECT id, service_id, update_time, result, config_json, operator, detail, finished_at FROM service_update_logs
                WHERE service_id = @serviceId AND (@updateTime IS NULL OR update_time = @updateTime) ORDER BY id DESC
                """, new { serviceId, updateTime })
            .Select(r => new Entry(r.Id, r.ServiceId, r.UpdateTime, r.Result,
                JsonSerializer.Deserialize<List<ServiceConfigItem>>(r.ConfigJson, ConfigJson) ?? [], r.Operator, r.Detail, r.FinishedAt))
            .ToList();
    }

    /// <summary>Forgets a deleted service's history.</summary>
    public void DeleteFor(string serviceId)
    {
        using var c = database.Open();
        c.Execute("DELETE FROM service_update_logs WHERE service_id = @serviceId", new { serviceId });
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string ServiceId { get; set; } = "";
        public long UpdateTime { get; set; }
        public string Result { get; set; } = "";
        public string ConfigJson { get; set; } = "[]";
        public string Operator { get; set; } = "";
        public string Detail { get; set; } = "";
        public long? FinishedAt { get; set; }
    }
}
