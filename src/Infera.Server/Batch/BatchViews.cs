using System.Text.Json.Nodes;
using Infera.Core.Services;
using Infera.Storage.Stores;

namespace Infera.Server.Batch;

/// <summary>
/// The batch fields of the service views (spec §3.2/§3.3, seed 003 §3.2.2 table 3-12): <c>start_time</c> and
/// <c>finished_time</c> (ms, 0 until set), the task id and progress counts, and per config item the input, output,
/// API and mapping.
/// </summary>
public static class BatchViews
{
    /// <summary>
    /// Adds <c>task_id</c>, <c>start_time</c>, <c>finished_time</c>, <c>input_count</c>, <c>processed_count</c>,
    /// <c>failed_count</c> and, while the task runs, <c>progress</c> as processed inputs in percent.
    /// </summary>
    public static void AddTask(JsonObject item, ServiceRecord service, BatchTaskStore tasks)
    {
        var task = tasks.Find(service.Id);
        if (task is null)
        {
            return;
        }

        var counts = tasks.Counts(task.TaskId);
        item["task_id"] = task.TaskId;
        item["start_time"] = task.StartTime;
        item["finished_time"] = task.FinishedTime;
        item["input_count"] = counts.Total;
        item["processed_count"] = counts.Processed;
        item["failed_count"] = counts.Failed;
        if (service.Status == ServiceStatus.Running)
        {
            item["progress"] = counts.Total == 0 ? 0 : (int)(counts.Processed * 100 / counts.Total);
        }
    }

    /// <summary>Adds <c>src_path</c>, <c>dest_path</c>, <c>req_uri</c>, <c>mapping_type</c>, <c>mapping_rule</c>, <c>src_type</c> and the result location to a config item.</summary>
    public static void AddConfig(JsonObject config, BatchConfig batch, ServiceRecord service)
    {
        config.Remove("weight");
        config["src_path"] = batch.SrcPath;
        config["dest_path"] = batch.DestPath;
        config["req_uri"] = batch.ReqUri;
        config["mapping_type"] = batch.MappingType;
        if (batch.MappingRule is { } rule)
        {
            config["mapping_rule"] = JsonNode.Parse(rule);
        }

        config["src_type"] = batch.SrcType;
        config["status"] = service.Status switch
        {
            ServiceStatus.Running => "ready",
            _ => "notReady",
        };
    }
}
