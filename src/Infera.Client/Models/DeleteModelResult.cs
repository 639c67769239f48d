using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>Body of <c>DELETE /v1/{project_id}/models/{model_id}</c>; the call succeeds even when some deletions fail.</summary>
public sealed record DeleteModelResult
{
    /// <summary>Ids that were deleted.</summary>
    [JsonPropertyName("delete_success_list")]
    public List<string> DeleteSuccessList { get; init; } = [];

    /// <summary>Models that could not be deleted, with the reason.</summary>
    [JsonPropertyName("delete_failed_list")]
    public List<ModelDeleteFailure> DeleteFailedList { get; init; } = [];
}
