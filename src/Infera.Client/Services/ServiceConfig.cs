using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>One model of a service: which model, how much traffic, on which flavor, how many instances.</summary>
public sealed record ServiceConfig
{
    /// <summary>The model id; the model must be <c>published</c>.</summary>
    [JsonPropertyName("model_id")]
    public string ModelId { get; init; } = string.Empty;

    /// <summary>Model name (returned by the show call only).</summary>
    [JsonPropertyName("model_name")]
    public string? ModelName { get; init; }

    /// <summary>Model version (returned by the show call only).</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary>Traffic percentage; the weights of a real-time service add up to 100.</summary>
    [JsonPropertyName("weight")]
    public int? Weight { get; init; }

    /// <summary>Flavor code, e.g. <c>modelarts.vm.cpu.2u</c>.</summary>
    [JsonPropertyName("specification")]
    public string Specification { get; init; } = string.Empty;

    /// <summary>Number of instances, 1-128.</summary>
    [JsonPropertyName("instance_count")]
    public int InstanceCount { get; init; } = 1;

    /// <summary>Environment variables of the instances.</summary>
    [JsonPropertyName("envs")]
    public Dictionary<string, string>? Envs { get; init; }

    /// <summary>The flavor when <see cref="Specification"/> is <c>custom</c>.</summary>
    [JsonPropertyName("custom_spec")]
    public CustomSpec? CustomSpec { get; init; }

    /// <summary>How long one instance may take to start, seconds (180–7200; server default 1200).</summary>
    [JsonPropertyName("deploy_timeout_in_seconds")]
    public int? DeployTimeoutInSeconds { get; init; }

    /// <summary>Rolling-update limits (<c>max_surge</c>, <c>max_unavailable</c>).</summary>
    [JsonPropertyName("additional_properties")]
    public ServiceConfigProperties? AdditionalProperties { get; init; }

    /// <summary>Per-model state (returned by the show call): <c>ready</c>, <c>concerning</c> or <c>notReady</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}
