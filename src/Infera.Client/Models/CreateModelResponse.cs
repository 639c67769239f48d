using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>Body returned by model creation.</summary>
public sealed record CreateModelResponse
{
    /// <summary>The id of the new model.</summary>
    [JsonPropertyName("model_id")]
    public string ModelId { get; init; } = string.Empty;
}
