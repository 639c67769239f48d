using System.Text.Json.Serialization;

namespace Infera.Client;

/// <summary>One model or service event.</summary>
public sealed record InferaEvent
{
    /// <summary><c>normal</c> or <c>abnormal</c>.</summary>
    [JsonPropertyName("event_type")]
    public string EventType { get; init; } = string.Empty;

    /// <summary>What happened.</summary>
    [JsonPropertyName("event_info")]
    public string EventInfo { get; init; } = string.Empty;

    /// <summary>When, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("occur_time")]
    public long OccurTime { get; init; }

    /// <summary>Whether this event reports a failure.</summary>
    [JsonIgnore]
    public bool IsAbnormal => string.Equals(EventType, "abnormal", StringComparison.OrdinalIgnoreCase);
}
