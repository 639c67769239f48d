using System.Text.Json.Serialization;

namespace Infera.Client.Observability;

/// <summary>
/// Filters of <c>GET …/services/{id}/instance-logs</c> (MISSION R-S12). Give either <see cref="Last"/> or
/// <see cref="StartTime"/>/<see cref="EndTime"/>; with neither the server returns the last hour.
/// </summary>
public sealed record InstanceLogQuery
{
    /// <summary>Only this instance.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Only this model version (id).</summary>
    public string? ModelId { get; init; }

    /// <summary>Back from now: <c>5m</c>, <c>30m</c>, <c>60m</c>, <c>1h</c>, <c>{n}m|h|d</c> up to 7 days.</summary>
    public string? Last { get; init; }

    /// <summary>Range start, ms since the Unix epoch (inclusive).</summary>
    public long? StartTime { get; init; }

    /// <summary>Range end, ms since the Unix epoch (inclusive).</summary>
    public long? EndTime { get; init; }

    /// <summary>Search: exact keyword, <c>*</c>/<c>?</c> fuzzy words, phrases (quoted or not), <c>&amp;&amp;</c>/<c>AND</c>, <c>||</c>/<c>OR</c>, parentheses.</summary>
    public string? Query { get; init; }

    /// <summary>Matching lines to skip.</summary>
    public int? Offset { get; init; }

    /// <summary>Page size, 1–1000 (server default 100).</summary>
    public int? Limit { get; init; }

    /// <summary><c>desc</c> (newest first, default) or <c>asc</c>.</summary>
    public string? Order { get; init; }
}

/// <summary>One page of instance log lines.</summary>
public sealed record InstanceLogList
{
    /// <summary>The service id.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>The service name.</summary>
    [JsonPropertyName("service_name")]
    public string ServiceName { get; init; } = string.Empty;

    /// <summary>Range searched, start (ms).</summary>
    [JsonPropertyName("start_time")]
    public long StartTime { get; init; }

    /// <summary>Range searched, end (ms).</summary>
    [JsonPropertyName("end_time")]
    public long EndTime { get; init; }

    /// <summary>Every matching line, ignoring paging.</summary>
    [JsonPropertyName("total_count")]
    public int TotalCount { get; init; }

    /// <summary>Lines on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The lines.</summary>
    [JsonPropertyName("logs")]
    public List<InstanceLogLine> Logs { get; init; } = [];
}

/// <summary>One line an instance wrote.</summary>
public sealed record InstanceLogLine
{
    /// <summary>When the server read it, ms since the Unix epoch.</summary>
    [JsonPropertyName("time")]
    public long Time { get; init; }

    /// <summary>The instance that wrote it.</summary>
    [JsonPropertyName("instance_id")]
    public string InstanceId { get; init; } = string.Empty;

    /// <summary>The model version the instance runs (id).</summary>
    [JsonPropertyName("model_id")]
    public string ModelId { get; init; } = string.Empty;

    /// <summary>The model version (<c>A.B.C</c>).</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary><c>stdout</c> or <c>stderr</c>.</summary>
    [JsonPropertyName("stream")]
    public string Stream { get; init; } = string.Empty;

    /// <summary>The text.</summary>
    [JsonPropertyName("content")]
    public string Content { get; init; } = string.Empty;
}
