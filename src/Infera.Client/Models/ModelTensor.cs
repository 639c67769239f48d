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
