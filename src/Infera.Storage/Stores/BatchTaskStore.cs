using Dapper;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>
/// The durable state of batch services (issue #4): one task per service (<c>batch_tasks</c>) and one row per input
/// (<c>batch_items</c>). An item is <see cref="Pending"/> until its result object is written and
/// <see cref="MarkDone"/> records the outcome; the result manifests are generated from the done rows in
/// <c>seq</c> order, so a crash at any point can neither duplicate nor lose a manifest line.
/// </summary>
public sealed class BatchTaskStore(InferaDatabase database)
{
    /// <summary>An item still to process.</summary>
    public const string Pending = "pending";

    /// <summary>An item whose outcome is recorded.</summary>
    public const string Done = "done";

    /// <summary>A service's current task.</summary>
    /// <param name="ServiceId">The batch service.</param>
    /// <param name="TaskId">Task id (names the result folder and manifests).</param>
    /// <param name="Listed">True once every input was recorded as an item.</param>
    /// <param name="TotalCount">Number of items once listed.</param>
    /// <param name="StartTime">First start of the task, ms; 0 before.</param>
    /// <param name="FinishedTime">Completion, ms; 0 while unfinished.</param>
    public sealed record BatchTask(string ServiceId, string TaskId, bool Listed, long TotalCount, long StartTime, long FinishedTime);

    /// <summary>One input of a task.</summary>
    /// <param name="Seq">0-based position in the input listing (manifest order).</param>
    /// <param name="Source">The input as the manifest line shows it (<c>obs://…</c>, <c>s3://…</c> or a URL), or the raw line when it was invalid.</param>
    /// <param name="ResultName">Result object name relative to the task's result folder, e.g. <c>sub/1.png_result.txt</c>.</param>
    /// <param name="State"><see cref="Pending"/> or <see cref="Done"/>.</param>
    /// <param name="Result"><c>SUCCESSFUL</c>, <c>FAILED</c> or empty while pending.</param>
    /// <param name="InferenceLoc">Result object URI when written.</param>
    /// <param name="ErrorMessage">Why it failed.</param>
    public sealed record BatchItem(long Seq, string Source, string ResultName, string State, string Result, string InferenceLoc, string ErrorMessage);

    /// <summary>Progress counts of a task.</summary>
    /// <param name="Total">Items listed.</param>
    /// <param name="Processed">Items done.</param>
    /// <param name="Failed">Items done with <c>FAILED</c>.</param>
    public sealed record BatchCounts(long Total, long Processed, long Failed);

    /// <summary>The service's task, or null when none was created.</summary>
    public BatchTask? Find(string serviceId)
    {
        using var c = database.Open();
        var rows = c.Query<(string ServiceId, string TaskId, long Listed, long TotalCount, long StartTime, long FinishedTime)>(
            "SELECT service_id, task_id, listed, total_count, start_time, finished_time FROM batch_tasks WHERE service_id = @serviceId",
            new { serviceId }).AsList();
        return rows.Count == 0 ? null : new BatchTask(rows[0].ServiceId, rows[0].TaskId, rows[0].Listed != 0, rows[0].TotalCount, rows[0].StartTime, rows[0].FinishedTime);
    }

    /// <summary>Creates a fresh task for the service (replacing any previous one and its items).</summary>
    public BatchTask Create(string serviceId, string taskId)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        var old = c.ExecuteScalar<string?>("SELECT task_id FROM batch_tasks WHERE service_id = @serviceId", new { serviceId }, t);
        if (old is not null)
        {
            c.Execute("DELETE FROM batch_items WHERE task_id = @old", new { old }, t);
        }

        c.Execute("INSERT OR REPLACE INTO batch_tasks (service_id, task_id, listed, total_count, start_time, finished_time) VALUES (@serviceId, @taskId, 0, 0, 0, 0)",
            new { serviceId, taskId }, t);
        t.Commit();
        return new BatchTask(serviceId, taskId, false, 0, 0, 0);
    }

    /// <summary>
    /// The service's task, creating one with <paramref name="taskId"/> only when it has none (a service recorded before
    /// tasks were created with it). Never replaces an existing task, so it cannot race a deploy or a start.
    /// </summary>
    public BatchTask FindOrCreate(string serviceId, string taskId)
    {
        using (var c = database.Open())
        {
            c.Execute("INSERT OR IGNORE INTO batch_tasks (service_id, task_id, listed, total_count, start_time, finished_time) VALUES (@serviceId, @taskId, 0, 0, 0, 0)",
                new { serviceId, taskId });
        }

        return Find(serviceId)!;
    }

    /// <summary>
    /// Records the whole input listing in one transaction and marks the task listed, only while
    /// <paramref name="taskId"/> is still a task that is not listed yet (a task replaced meanwhile by a new start is
    /// left alone); returns false then. Items given with a result (inputs already known to fail, e.g. an invalid
    /// manifest line) are stored as done.
    /// </summary>
    public bool RecordListing(string taskId, IReadOnlyList<BatchItem> items, long now)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        if (c.Execute("UPDATE batch_tasks SET listed = 1, total_count = @count WHERE task_id = @taskId AND listed = 0", new { taskId, count = items.Count }, t) == 0)
        {
            return false;
        }

        c.Execute("DELETE FROM batch_items WHERE task_id = @taskId", new { taskId }, t);
        c.Execute(
            "INSERT INTO batch_items (task_id, seq, source, result_name, state, result, inference_loc, error_message, done_at) VALUES (@taskId, @Seq, @Source, @ResultName, @State, @Result, @InferenceLoc, @ErrorMessage, @doneAt)",
            items.Select(i => new { taskId, i.Seq, i.Source, i.ResultName, i.State, i.Result, i.InferenceLoc, i.ErrorMessage, doneAt = i.State == Done ? now : 0 }), t);
        t.Commit();
        return true;
    }

    /// <summary>Sets the start time if it was not set yet (the first start of the task).</summary>
    public void MarkStarted(string taskId, long now)
    {
        using var c = database.Open();
        c.Execute("UPDATE batch_tasks SET start_time = @now WHERE task_id = @taskId AND start_time = 0", new { taskId, now });
    }

    /// <summary>Records the completion time.</summary>
    public void MarkFinished(string taskId, long now)
    {
        using var c = database.Open();
        c.Execute("UPDATE batch_tasks SET finished_time = @now WHERE task_id = @taskId", new { taskId, now });
    }

    /// <summary>The items still pending, in <c>seq</c> order.</summary>
    public IReadOnlyList<BatchItem> ListPending(string taskId) => List(taskId, "AND state = 'pending'");

    /// <summary>The items done, in <c>seq</c> order (the order of the result manifests).</summary>
    public IReadOnlyList<BatchItem> ListDone(string taskId) => List(taskId, "AND state = 'done'");

    /// <summary>
    /// Records an item's outcome once (in one statement, only while it is still pending); returns false when it was
    /// already done. Call it only after the item's result object is written.
    /// </summary>
    public bool MarkDone(string taskId, long seq, string result, string inferenceLoc, string errorMessage, long now)
    {
        using var c = database.Open();
        return c.Execute(
            "UPDATE batch_items SET state = 'done', result = @result, inference_loc = @inferenceLoc, error_message = @errorMessage, done_at = @now WHERE task_id = @taskId AND seq = @seq AND state = 'pending'",
            new { taskId, seq, result, inferenceLoc, errorMessage, now }) > 0;
    }

    /// <summary>Progress counts of a task.</summary>
    public BatchCounts Counts(string taskId)
    {
        using var c = database.Open();
        var row = c.QuerySingle<(long Total, long Processed, long Failed)>(
            "SELECT COUNT(*), COALESCE(SUM(state = 'done'), 0), COALESCE(SUM(result = 'FAILED'), 0) FROM batch_items WHERE task_id = @taskId", new { taskId });
        return new BatchCounts(row.Total, row.Processed, row.Failed);
    }

    /// <summary>Forgets a service's task and items (the service was deleted; result objects stay).</summary>
    public void Delete(string serviceId)
    {
        using var c = database.Open();
        using var t = c.BeginTransaction();
        c.Execute("DELETE FROM batch_items WHERE task_id IN (SELECT task_id FROM batch_tasks WHERE service_id = @serviceId)", new { serviceId }, t);
        c.Execute("DELETE FROM batch_tasks WHERE service_id = @serviceId", new { serviceId }, t);
        t.Commit();
    }

    private List<BatchItem> List(string taskId, string filter)
    {
        using var c = database.Open();
        return c.Query<BatchItem>(
            $"SELECT seq AS Seq, source AS Source, result_name AS ResultName, state AS State, result AS Result, inference_loc AS InferenceLoc, error_message AS ErrorMessage FROM batch_items WHERE task_id = @taskId {filter} ORDER BY seq",
            new { taskId }).AsList();
    }
}
