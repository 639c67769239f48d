using System.Text.Json.Serialization;

namespace Infera.Client.Observability;

/// <summary>Range and version of <c>GET …/services/{id}/metrics</c>; with no range the server returns the last hour.</summary>
public sealed record ServiceMetricsQuery
{
    /// <summary>Only this model version (id).</summary>
    public string? ModelId { get; init; }

    /// <summary>Back from now: <c>{n}m|h|d</c> up to 7 days.</summary>
    public string? Last { get; init; }

    /// <summary>Range start, ms.</summary>
    public long? StartTime { get; init; }

    /// <summary>Range end, ms.</summary>
    public long? EndTime { get; init; }
}

/// <summary>Per-minute metrics of a service and of each of its versions (MISSION R-S13).</summary>
public sealed record ServiceMetrics
{
    /// <summary>The service id.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>The service name.</summary>
    [JsonPropertyName("service_name")]
    public string ServiceName { get; init; } = string.Empty;

    /// <summary>Range start, ms.</summary>
    [JsonPropertyName("start_time")]
    public long StartTime { get; init; }

    /// <summary>Range end, ms.</summary>
    [JsonPropertyName("end_time")]
    public long EndTime { get; init; }

    /// <summary>Seconds per point (60).</summary>
    [JsonPropertyName("period")]
    public int Period { get; init; }

    /// <summary>The service's minutes with data, oldest first.</summary>
    [JsonPropertyName("metrics")]
    public List<MetricPoint> Metrics { get; init; } = [];

    /// <summary>The same per model version.</summary>
    [JsonPropertyName("versions")]
    public List<VersionMetrics> Versions { get; init; } = [];
}

/// <summary>The minutes of one model version.</summary>
public sealed record VersionMetrics
{
    /// <summary>The version's model id.</summary>
    [JsonPropertyName("model_id")]
    public string ModelId { get; init; } = string.Empty;

    /// <summary>The model name.</summary>
    [JsonPropertyName("model_name")]
    public string? ModelName { get; init; }

    /// <summary>The version (<c>A.B.C</c>).</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary>Minutes with data, oldest first.</summary>
    [JsonPropertyName("metrics")]
    public List<MetricPoint> Metrics { get; init; } = [];
}

/// <summary>One minute (seed 003 table 5-1 names).</summary>
public sealed record MetricPoint
{
    /// <summary>Start of the minute, ms since the Unix epoch.</summary>
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; init; }

    /// <summary>Calls.</summary>
    [JsonPropertyName("total_called_times")]
    public long TotalCalledTimes { get; init; }

    /// <summary>Calls answered with status below 400.</summary>
    [JsonPropertyName("successfully_called_times")]
    public long SuccessfullyCalledTimes { get; init; }

    /// <summary>Calls answered with status 400 or above.</summary>
    [JsonPropertyName("failed_called_times")]
    public long FailedCalledTimes { get; init; }

    /// <summary>2xx answers.</summary>
    [JsonPropertyName("req_count_2xx")]
    public long ReqCount2xx { get; init; }

    /// <summary>4xx answers.</summary>
    [JsonPropertyName("req_count_4xx")]
    public long ReqCount4xx { get; init; }

    /// <summary>5xx answers.</summary>
    [JsonPropertyName("req_count_5xx")]
    public long ReqCount5xx { get; init; }

    /// <summary>Average latency in ms; null without calls.</summary>
    [JsonPropertyName("avg_latency")]
    public double? AvgLatency { get; init; }

    /// <summary>Average CPU of one instance in percent of one core; null without samples.</summary>
    [JsonPropertyName("cpu_usage")]
    public double? CpuUsage { get; init; }

    /// <summary>Average memory of one instance in percent of the node's memory; null without samples.</summary>
    [JsonPropertyName("mem_usage")]
    public double? MemUsage { get; init; }

    /// <summary>Bits the instances read from storage in the minute; null without samples.</summary>
    [JsonPropertyName("disk_read_rate")]
    public double? DiskReadRate { get; init; }

    /// <summary>Bits the instances wrote to storage in the minute; null without samples.</summary>
    [JsonPropertyName("disk_write_rate")]
    public double? DiskWriteRate { get; init; }

    /// <summary>Average resident memory of one instance, bytes; null without samples.</summary>
    [JsonPropertyName("memory_bytes")]
    public long? MemoryBytes { get; init; }
}
