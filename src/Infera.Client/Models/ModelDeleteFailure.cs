using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>One model that could not be deleted.</summary>
public sealed record ModelDeleteFailure
{
    /// <summary>The model id.</summary>
    [JsonPropertyName("model_id")]
    public string ModelId { get; init; } = string.Empty;

    /// <summary>Error code, e.g. <c>ModelArts.3009</c> (in use by a service).</summary>
    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; init; }

    /// <summary>Error message.</summary>
    [JsonPropertyName("error_msg")]
    public string? ErrorMsg { get; init; }
}
