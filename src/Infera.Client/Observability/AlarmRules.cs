using System.Text.Json.Serialization;

namespace Infera.Client.Observability;

/// <summary>Body of <c>POST …/services/{id}/alarms</c>.</summary>
public sealed record CreateAlarmRequest
{
    /// <summary>Unique per service (1–64 letters, digits, <c>-</c>, <c>_</c>); the server makes one up when null.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>A metric of seed 003 table 5-1: <c>total_called_times</c>, <c>successfully_called_times</c>,
    /// <c>failed_called_times</c>, <c>req_count_2xx</c>, <c>req_count_4xx</c>, <c>req_count_5xx</c>,
    /// <c>avg_latency</c> (ms), <c>cpu_usage</c>, <c>mem_usage</c> (percent).</summary>
    [JsonPropertyName("metric")]
    public string Metric { get; init; } = string.Empty;

    /// <summary><c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c> or <c>&lt;=</c>.</summary>
    [JsonPropertyName("comparison")]
    public string Comparison { get; init; } = string.Empty;

    /// <summary>Value the metric of each minute is compared with.</summary>
    [JsonPropertyName("threshold")]
    public double Threshold { get; init; }

    /// <summary>Consecutive minutes, 1–60 (server default 1).</summary>
    [JsonPropertyName("periods")]
    public int? Periods { get; init; }

    /// <summary>Watch one version (id) instead of the whole service.</summary>
    [JsonPropertyName("model_id")]
    public string? ModelId { get; init; }

    /// <summary>Watch one version (<c>A.B.C</c>) instead of the whole service.</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }
}

/// <summary>An alarm rule and its state.</summary>
public sealed record AlarmRule
{
    /// <summary>Rule id.</summary>
    [JsonPropertyName("alarm_id")]
    public string AlarmId { get; init; } = string.Empty;

    /// <summary>Rule name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>The service.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>The version watched, or null for the service.</summary>
    [JsonPropertyName("model_id")]
    public string? ModelId { get; init; }

    /// <summary>The version watched (<c>A.B.C</c>).</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary>The metric.</summary>
    [JsonPropertyName("metric")]
    public string Metric { get; init; } = string.Empty;

    /// <summary>The comparison.</summary>
    [JsonPropertyName("comparison")]
    public string Comparison { get; init; } = string.Empty;

    /// <summary>The threshold.</summary>
    [JsonPropertyName("threshold")]
    public double Threshold { get; init; }

    /// <summary>Consecutive minutes.</summary>
    [JsonPropertyName("periods")]
    public int Periods { get; init; }

    /// <summary><c>ok</c> or <c>alarm</c> (firing: the service is concerning).</summary>
    [JsonPropertyName("state")]
    public string State { get; init; } = string.Empty;

    /// <summary>When the state last changed, ms.</summary>
    [JsonPropertyName("state_changed_at")]
    public long? StateChangedAt { get; init; }

    /// <summary>The metric's value in the last evaluated minute; null without data.</summary>
    [JsonPropertyName("last_value")]
    public double? LastValue { get; init; }

    /// <summary>Creation time, ms.</summary>
    [JsonPropertyName("create_at")]
    public long CreateAt { get; init; }
}

/// <summary>The alarm rules of a service.</summary>
public sealed record AlarmList
{
    /// <summary>The service id.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>The service name.</summary>
    [JsonPropertyName("service_name")]
    public string ServiceName { get; init; } = string.Empty;

    /// <summary>How many rules.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The rules, oldest first.</summary>
    [JsonPropertyName("alarms")]
    public List<AlarmRule> Alarms { get; init; } = [];
}
