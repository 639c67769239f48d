using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>One input or output tensor of an ONNX model, in Open Inference Protocol terms.</summary>
public sealed record ModelTensor
{
    /// <summary>The tensor's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The datatype: <c>FP32</c>, <c>INT64</c>, <c>BYTES</c>, …</summary>
    [JsonPropertyName("datatype")]
    public string? Datatype { get; init; }

    /// <summary>The dimensions; <c>-1</c> marks a dynamic one (usually the batch).</summary>
    [JsonPropertyName("shape")]
    public IReadOnlyList<long> Shape { get; init; } = [];
}

/// <summary>The <c>dynamic_batching</c> settings of an ONNX model (after Triton's).</summary>
public sealed record ModelDynamicBatching
{
    /// <summary>Most rows in one model run.</summary>
    [JsonPropertyName("max_batch_size")]
    public int? MaxBatchSize { get; init; }

    /// <summary>Batch sizes that run as soon as they are reached.</summary>
    [JsonPropertyName("preferred_batch_size")]
    public IReadOnlyList<int> PreferredBatchSize { get; init; } = [];

    /// <summary>How long the first request of a batch may wait for more, in microseconds.</summary>
    [JsonPropertyName("max_queue_delay_microseconds")]
    public long? MaxQueueDelayMicroseconds { get; init; }
}
