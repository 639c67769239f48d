using System.Text.Json;
using Dapper;
using Infera.Core.Services;
using Infera.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>Services: desired configuration, observed status and invocation counters.</summary>
public sealed class ServiceStore(InferaDatabase database)
{
    private static readonly JsonSerializerOptions ConfigJson = new(JsonSerializerDefaults.Web);

    private const string Columns =
        "id, project_id, domain_id, owner_id, name, description, infer_type, status, desired_state, config_json, publish_at, transition_at, update_time, error_message, invocation_times, failed_times, app_auth, traffic_json, schedule_json, due_time, tags_json, previous_config_json";

    /// <summary>
    /// Inserts a service; returns false when the name is taken in the project. With <paramref name="batchTaskId"/> the
    /// batch service's first task (<c>batch_tasks</c>) is inserted in the same transaction, so no reader ever sees a batch
    /// service without its task (issue #20: a runner that did created a second task, and the deploy's own task then
    /// replaced it under the running batch, which finished "0 of 0 inputs").
    /// </summary>
    public bool TryInsert(ServiceRecord service, string? batchTaskId = null)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        try
        {
            c.Execute(
                $"""
                INSERT INTO services ({Columns}) VALUES (@Id, @ProjectId, @DomainId, @OwnerId, @Name, @Description, @InferType, @Status,
                  @DesiredState, @ConfigJson, @PublishAt, @TransitionAt, @UpdateTime, @ErrorMessage, @InvocationTimes, @FailedTimes, @AppAuth, @TrafficJson,
                  @ScheduleJson, @DueTime, @TagsJson, @PreviousConfigJson)
                """, ToRow(service), t);
            if (batchTaskId is not null)
            {
                c.Execute("INSERT OR REPLACE INTO batch_tasks (service_id, task_id, listed, total_count, start_time, finished_time) VALUES (@Id, @batchTaskId, 0, 0, 0, 0)",
                    new { service.Id, batchTaskId }, t);
            }

            t.Commit();
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    /// <summary>Writes the mutable columns (not the counters, which <see cref="AddInvocations"/> owns).</summary>
    public void Update(ServiceRecord service)
    {
        using var c = database.Open();
        c.Execute(
            """
            UPDATE services SET description = @Description, status = @Status, desired_state = @DesiredState, config_json = @ConfigJson,
              transition_at = @TransitionAt, update_time = @UpdateTime, error_message = @ErrorMessage, app_auth = @AppAuth, traffic_json = @TrafficJson,
              schedule_json = @ScheduleJson, due_time = @DueTime, tags_json = @TagsJson, previous_config_json = @PreviousConfigJson
            WHERE id = @Id
            """, ToRow(service));
    }

    /// <summary>
    /// Writes an observed status (the reconciler's view) only while the desired state is still
    /// <paramref name="expectedDesiredState"/>, so a concurrent start/stop/delete request is never overwritten.
    /// Returns false when the desired state changed meanwhile (or the service is gone).
    /// </summary>
    public bool UpdateStatus(string id, string expectedDesiredState, string status, long transitionAt, string errorMessage)
    {
        using var c = database.Open();
        return c.Execute(
            "UPDATE services SET status = @status, transition_at = @transitionAt, error_message = @errorMessage WHERE id = @id AND desired_state = @expectedDesiredState",
            new { id, expectedDesiredState, status, transitionAt, errorMessage }) > 0;
    }

    /// <summary>Changes only the description (a PUT without status or config must not write back a status it read earlier).</summary>
    public void UpdateDescription(string id, string description)
    {
        using var c = database.Open();
        c.Execute("UPDATE services SET description = @description WHERE id = @id", new { id, description });
    }

    /// <summary>Changes only the tags (a PUT of tags must not write back a status the reconciler changed meanwhile).</summary>
    public void UpdateTags(string id, IReadOnlyList<ServiceTag> tags)
    {
        using var c = database.Open();
        c.Execute("UPDATE services SET tags_json = @tagsJson WHERE id = @id", new { id, tagsJson = JsonSerializer.Serialize(tags, ConfigJson) });
    }

    /// <summary>Changes only the routing rules, rate limit and protocol settings (a PUT of those alone must not write back a stale status).</summary>
    public void UpdateTraffic(string id, ServiceTraffic traffic, long updateTime)
    {
        using var c = database.Open();
        c.Execute("UPDATE services SET traffic_json = @trafficJson, update_time = @updateTime WHERE id = @id",
            new { id, trafficJson = JsonSerializer.Serialize(traffic, ConfigJson), updateTime });
    }

    /// <summary>Sets or clears the auto-stop schedule and its due time (ms) without touching the status.</summary>
    public void UpdateSchedule(string id, ServiceSchedule? schedule, long? dueTime)
    {
        using var c = database.Open();
        c.Execute("UPDATE services SET schedule_json = @scheduleJson, due_time = @dueTime WHERE id = @id",
            new { id, scheduleJson = schedule is null ? "" : JsonSerializer.Serialize(schedule, ConfigJson), dueTime });
    }

    /// <summary>
    /// The auto-stop: turns a running service whose due time is still <paramref name="dueTime"/> into a stopping one
    /// (desired <c>stopped</c>) and clears the due time. False when anything changed meanwhile (a PUT won the race).
    /// </summary>
    public bool AutoStop(string id, long dueTime, long transitionAt)
    {
        using var c = database.Open();
        return c.Execute(
            """
            UPDATE services SET desired_state = 'stopped', status = 'stopping', transition_at = @transitionAt, due_time = NULL
            WHERE id = @id AND due_time = @dueTime AND desired_state = 'running'
            """, new { id, dueTime, transitionAt }) > 0;
    }

    /// <summary>
    /// Ends a rolling update: writes <paramref name="config"/> as the configuration (the new one on success, the
    /// previous one on rollback) and clears the previous configuration, only while the desired state is still
    /// <paramref name="expectedDesiredState"/>. False when a start/stop/delete came in between.
    /// </summary>
    public bool FinishRollout(string id, string expectedDesiredState, IReadOnlyList<ServiceConfigItem> config, string status, long transitionAt, string errorMessage)
    {
        using var c = database.Open();
        return c.Execute(
            """
            UPDATE services SET config_json = @configJson, previous_config_json = '', status = @status, transition_at = @transitionAt, error_message = @errorMessage
            WHERE id = @id AND desired_state = @expectedDesiredState
            """, new { id, expectedDesiredState, configJson = JsonSerializer.Serialize(config, ConfigJson), status, transitionAt, errorMessage }) > 0;
    }

    /// <summary>
    /// Adds call counts to the services' counters and to their per-version counters (<c>monitors[]</c> of spec §3.8) in
    /// one transaction, so a failed flush adds nothing and can be retried whole. Counts of deleted services are dropped.
    /// </summary>
    /// <param name="services">Per service: calls and failed calls since the last flush.</param>
    /// <param name="versions">Per (service, version): calls and failed calls since the last flush.</param>
    public void AddInvocations(IReadOnlyList<(string Id, long Total, long Failed)> services, IReadOnlyList<(string Id, string ModelId, long Total, long Failed)> versions)
    {
        if (services.Count == 0 && versions.Count == 0)
        {
            return;
        }

        using var c = database.Open();
        using var t = c.BeginTransaction();
        c.Execute("UPDATE services SET invocation_times = invocation_times + @Total, failed_times = failed_times + @Failed WHERE id = @Id",
            services.Select(s => new { s.Id, s.Total, s.Failed }), t);
        c.Execute(
            """
            INSERT INTO service_version_calls (service_id, model_id, invocation_times, failed_times)
            SELECT @Id, @ModelId, @Total, @Failed WHERE EXISTS (SELECT 1 FROM services WHERE id = @Id)
            ON CONFLICT (service_id, model_id) DO UPDATE SET invocation_times = invocation_times + @Total, failed_times = failed_times + @Failed
            """, versions.Select(v => new { v.Id, v.ModelId, v.Total, v.Failed }), t);
        t.Commit();
    }

    /// <summary>Flushed per-version counters of a service, by model id.</summary>
    public IReadOnlyDictionary<string, (long Total, long Failed)> VersionInvocations(string id)
    {
        using var c = database.Open();
        return c.Query<(string ModelId, long Total, long Failed)>(
                "SELECT model_id, invocation_times, failed_times FROM service_version_calls WHERE service_id = @id", new { id })
            .ToDictionary(r => r.ModelId, r => (r.Total, r.Failed));
    }

    /// <summary>A service of a project, or null when absent or another project's.</summary>
    public ServiceRecord? Find(string projectId, string id)
    {
        using var c = database.Open();
        var row = c.QuerySingleOrDefault<Row>($"SELECT {Columns} FROM services WHERE id = @id AND project_id = @projectId", new { id, projectId });
        return row is null ? null : FromRow(row);
    }

    /// <summary>A service by id regardless of project (internal use), or null.</summary>
    public ServiceRecord? FindAny(string id)
    {
        using var c = database.Open();
        var row = c.QuerySingleOrDefault<Row>($"SELECT {Columns} FROM services WHERE id = @id", new { id });
        return row is null ? null : FromRow(row);
    }

    /// <summary>Every service (the reconciler's view).</summary>
    public IReadOnlyList<ServiceRecord> ListAll()
    {
        using var c = database.Open();
        return c.Query<Row>($"SELECT {Columns} FROM services").Select(FromRow).ToList();
    }

    /// <summary>A project's services, filtered; the caller pages and sorts.</summary>
    public IReadOnlyList<ServiceRecord> ListByProject(string projectId)
    {
        using var c = database.Open();
        return c.Query<Row>($"SELECT {Columns} FROM services WHERE project_id = @projectId", new { projectId }).Select(FromRow).ToList();
    }

    /// <summary>Number of services of a type owned by a user (quota check).</summary>
    public int CountByOwner(string ownerId, string inferType)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM services WHERE owner_id = @ownerId AND infer_type = @inferType", new { ownerId, inferType });
    }

    /// <summary>Switches app authentication on or off.</summary>
    public void UpdateAppAuth(string id, bool appAuth)
    {
        using var c = database.Open();
        c.Execute("UPDATE services SET app_auth = @a WHERE id = @id", new { id, a = appAuth ? 1 : 0 });
    }

    /// <summary>Deletes a service row.</summary>
    public bool Delete(string id)
    {
        using var c = database.Open();
        c.Execute("DELETE FROM service_version_calls WHERE service_id = @id", new { id });
        return c.Execute("DELETE FROM services WHERE id = @id", new { id }) > 0;
    }

    private static Row ToRow(ServiceRecord s) => new()
    {
        Id = s.Id, ProjectId = s.ProjectId, DomainId = s.DomainId, OwnerId = s.OwnerId, Name = s.Name, Description = s.Description,
        InferType = s.InferType, Status = s.Status, DesiredState = s.DesiredState,
        ConfigJson = JsonSerializer.Serialize(s.Config, ConfigJson), PublishAt = s.PublishAt, TransitionAt = s.TransitionAt,
        UpdateTime = s.UpdateTime, ErrorMessage = s.ErrorMessage, InvocationTimes = s.InvocationTimes, FailedTimes = s.FailedTimes,
        AppAuth = s.AppAuth ? 1 : 0,
        TrafficJson = JsonSerializer.Serialize(s.Traffic, ConfigJson),
        ScheduleJson = s.Schedule is null ? "" : JsonSerializer.Serialize(s.Schedule, ConfigJson),
        DueTime = s.DueTime,
        TagsJson = JsonSerializer.Serialize(s.Tags, ConfigJson),
        PreviousConfigJson = s.PreviousConfig is null ? "" : JsonSerializer.Serialize(s.PreviousConfig, ConfigJson),
    };

    private static ServiceRecord FromRow(Row r) => new()
    {
        Id = r.Id, ProjectId = r.ProjectId, DomainId = r.DomainId, OwnerId = r.OwnerId, Name = r.Name, Description = r.Description,
        InferType = r.InferType, Status = r.Status, DesiredState = r.DesiredState,
        Config = JsonSerializer.Deserialize<List<ServiceConfigItem>>(r.ConfigJson, ConfigJson) ?? [],
        PublishAt = r.PublishAt, TransitionAt = r.TransitionAt, UpdateTime = r.UpdateTime, ErrorMessage = r.ErrorMessage,
        InvocationTimes = r.InvocationTimes, FailedTimes = r.FailedTimes, AppAuth = r.AppAuth != 0,
        Traffic = JsonSerializer.Deserialize<ServiceTraffic>(r.TrafficJson, ConfigJson) ?? ServiceTraffic.None,
        Schedule = r.ScheduleJson.Length == 0 ? null : JsonSerializer.Deserialize<ServiceSchedule>(r.ScheduleJson, ConfigJson),
        DueTime = r.DueTime,
        Tags = JsonSerializer.Deserialize<List<ServiceTag>>(r.TagsJson, ConfigJson) ?? [],
        PreviousConfig = r.PreviousConfigJson.Length == 0 ? null : JsonSerializer.Deserialize<List<ServiceConfigItem>>(r.PreviousConfigJson, ConfigJson),
    };

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string ProjectId { get; set; } = "";
        public string DomainId { get; set; } = "";
        public string OwnerId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public string InferType { get; set; } = "";
        public string Status { get; set; } = "";
        public string DesiredState { get; set; } = "";
        public string ConfigJson { get; set; } = "";
        public long PublishAt { get; set; }
        public long TransitionAt { get; set; }
        public long UpdateTime { get; set; }
        public string ErrorMessage { get; set; } = "";
        public long InvocationTimes { get; set; }
        public long FailedTimes { get; set; }
        public long AppAuth { get; set; }
        public string TrafficJson { get; set; } = "{}";
        public string ScheduleJson { get; set; } = "";
        public long? DueTime { get; set; }
        public string TagsJson { get; set; } = "[]";
        public string PreviousConfigJson { get; set; } = "";
    }
}
