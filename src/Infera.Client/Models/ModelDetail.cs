using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>A model as returned by <c>GET /v1/{project_id}/models/{model_id}</c>.</summary>
public sealed record ModelDetail : ModelSummary
{
    /// <summary>The package folder the model was imported from.</summary>
    [JsonPropertyName("source_location")]
    public string? SourceLocation { get; init; }

    /// <summary>Runtime image name.</summary>
    [JsonPropertyName("runtime")]
    public string? Runtime { get; init; }

    /// <summary>Location of the inference code.</summary>
    [JsonPropertyName("execution_code")]
    public string? ExecutionCode { get; init; }

    /// <summary>The apis array serialized as a JSON string, as ModelArts returns it.</summary>
    [JsonPropertyName("apis")]
    public string? Apis { get; init; }

    /// <summary>The stored config.json serialized as a string.</summary>
    [JsonPropertyName("config")]
    public string? Config { get; init; }

    /// <summary>The input tensors of an ONNX model (read from the model at import); empty for other engines.</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyList<ModelTensor> Inputs { get; init; } = [];

    /// <summary>The output tensors of an ONNX model; empty for other engines.</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<ModelTensor> Outputs { get; init; } = [];

    /// <summary>The dynamic batching settings of an ONNX model, or null when requests run one by one.</summary>
    [JsonPropertyName("dynamic_batching")]
    public ModelDynamicBatching? DynamicBatching { get; init; }

    /// <summary>Image built from the model, if any.</summary>
    [JsonPropertyName("image_address")]
    public string? ImageAddress { get; init; }
}
