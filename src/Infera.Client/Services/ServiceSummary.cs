using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>A service as returned by the list call; <see cref="ServiceDetail"/> adds the details.</summary>
public record ServiceSummary
{
    /// <summary>Service id.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>Service name.</summary>
    [JsonPropertyName("service_name")]
    public string ServiceName { get; init; } = string.Empty;

    /// <summary>Description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary><c>real-time</c> or <c>batch</c>.</summary>
    [JsonPropertyName("infer_type")]
    public string? InferType { get; init; }

    /// <summary>Status: <c>deploying</c>, <c>running</c>, <c>concerning</c>, <c>failed</c>, <c>stopping</c>, <c>stopped</c>, <c>deleting</c>, ….</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = string.Empty;

    /// <summary>Deployment progress in percent, while deploying.</summary>
    [JsonPropertyName("progress")]
    public int? Progress { get; init; }

    /// <summary>Deployment time, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("publish_at")]
    public long? PublishAt { get; init; }

    /// <summary>Last status change, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("transition_at")]
    public long? TransitionAt { get; init; }

    /// <summary>Number of inference calls.</summary>
    [JsonPropertyName("invocation_times")]
    public long? InvocationTimes { get; init; }

    /// <summary>Number of failed inference calls.</summary>
    [JsonPropertyName("failed_times")]
    public long? FailedTimes { get; init; }

    /// <summary>Owning project id.</summary>
    [JsonPropertyName("project")]
    public string? Project { get; init; }

    /// <summary>Owning user id.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    /// <summary>Workspace id.</summary>
    [JsonPropertyName("workspace_id")]
    public string? WorkspaceId { get; init; }

    /// <summary>Batch: the current task id (names the result folder and manifests).</summary>
    [JsonPropertyName("task_id")]
    public string? TaskId { get; init; }

    /// <summary>Batch: first start of the task, milliseconds since the Unix epoch (0 before).</summary>
    [JsonPropertyName("start_time")]
    public long? StartTime { get; init; }

    /// <summary>Batch: completion of the task, milliseconds since the Unix epoch (0 while unfinished).</summary>
    [JsonPropertyName("finished_time")]
    public long? FinishedTime { get; init; }

    /// <summary>Batch: number of inputs of the task (files, or manifest lines).</summary>
    [JsonPropertyName("input_count")]
    public long? InputCount { get; init; }

    /// <summary>Batch: inputs processed so far (successful or failed).</summary>
    [JsonPropertyName("processed_count")]
    public long? ProcessedCount { get; init; }

    /// <summary>Batch: inputs whose result is <c>FAILED</c>.</summary>
    [JsonPropertyName("failed_count")]
    public long? FailedCount { get; init; }
}
